using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Commands
{
    /// <summary>
    /// The one way a cmdlet reaches images in registries over HTTP: -Credential/-SkipCertificateCheck/-AllowHttp into
    /// <see cref="RegistryOptions"/>, each reference opened once as a store, messages from transfer threads written
    /// on the pipeline thread.
    /// </summary>
    internal sealed class RemoteImages
    {
        private readonly ImageToolsCmdlet _cmdlet;
        private readonly ConcurrentQueue<(bool Warning, string Text)> _messages = new ConcurrentQueue<(bool, string)>();

        public RemoteImages(ImageToolsCmdlet cmdlet, PSCredential? credential, bool skipCertificateCheck, bool allowHttp)
        {
            _cmdlet = cmdlet;
            Options = new RegistryOptions
            {
                Credential = credential == null ? null : new RegistryCredential(credential.UserName.TrimStart('\\'), credential.GetNetworkCredential().Password),
                SkipCertificateCheck = skipCertificateCheck,
                AllowPlainHttp = allowHttp,
                Verbose = m => _messages.Enqueue((false, m)),
                Warning = m => _messages.Enqueue((true, m)),
            };
        }

        public RegistryOptions Options { get; }

        /// <summary>References that could not be resolved (an error was written for each); a save then writes nothing.</summary>
        public int Failures { get; private set; }

        /// <summary>The images the references name, each reference resolved at its registry; an error for each that cannot be.</summary>
        public IEnumerable<Image> Select(IEnumerable<string> references)
        {
            foreach (var text in references)
            {
                var store = Open(text);
                Flush();
                if (store == null) continue;
                var selection = ImageSelector.Select(store, null, e => _cmdlet.WriteFailure(e, text));
                Flush();
                foreach (var (image, _) in selection.Selected) yield return image;
            }
        }

        /// <summary>The store of one reference (opened once per command); null after writing an error.</summary>
        public RemoteRepositoryStore? Open(string text)
        {
            if (!ImageReference.TryParse(text, out var reference, out var why))
            {
                Failures++;
                _cmdlet.WriteError(ErrorRecords.Create(ErrorId.InvalidReference, $"'{text}' is not an image reference: {why}.", text));
                return null;
            }
            try { return _cmdlet.Opened.Open(reference!.ToString(), _ => RemoteRepositoryStore.Open(reference!, Options), out _); }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                Failures++;
                _cmdlet.WriteFailure(e, text);
                return null;
            }
            finally { Flush(); }
        }

        /// <summary>The client for a registry given as -Uri (host[:port], https:// or http://); null after writing an error.</summary>
        public (RegistryClient Client, string Registry)? Registry(string uri)
        {
            try
            {
                var (host, plain) = RegistryAddress.Parse(uri);
                var options = plain ? WithPlainHttp() : Options;
                return (RegistryClient.For(host, options), host);
            }
            catch (ImageToolsException e)
            {
                _cmdlet.WriteFailure(e, uri);
                return null;
            }
        }

        private RegistryOptions WithPlainHttp() => new RegistryOptions
        {
            Credential = Options.Credential, SkipCertificateCheck = Options.SkipCertificateCheck, AllowPlainHttp = true,
            Verbose = Options.Verbose, Warning = Options.Warning,
        };

        /// <summary>Writes the verbose messages and warnings the client queued (it may run on other threads).</summary>
        public void Flush()
        {
            while (_messages.TryDequeue(out var m))
            {
                if (m.Warning) _cmdlet.WriteWarning(m.Text);
                else _cmdlet.WriteVerbose(m.Text);
            }
        }
    }
}
