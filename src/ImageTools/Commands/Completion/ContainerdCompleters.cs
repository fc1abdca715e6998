using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Completes -Namespace with the namespaces of the containerd root -Path names (meta.db's v1 bucket only).</summary>
    public sealed class ContainerdNamespaceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() => CompletionInput.Containerd(fakeBoundParameters)?.NamespaceNames(), wordToComplete);
    }

    /// <summary>Completes -Key with the snapshot keys of the namespaces typed (all when none), as ctr snapshots ls lists them.</summary>
    public sealed class ContainerdSnapshotKeyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() =>
            {
                var metadata = CompletionInput.Containerd(fakeBoundParameters);
                if (metadata == null) return null;
                var snapshotters = CompletionInput.Strings(fakeBoundParameters, "Snapshotter");
                return new ContainerdSnapshotReader(metadata)
                    .Read(CompletionInput.Namespaces(metadata, fakeBoundParameters), s => ContainerdCmdlet.MatchesAny(snapshotters, s), _ => { })
                    .Select(s => s.Key!);
            }, wordToComplete);
    }

    /// <summary>Completes -Id with the container ids of the namespaces typed (all when none), as ctr containers ls lists them.</summary>
    public sealed class ContainerdContainerIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() =>
            {
                var metadata = CompletionInput.Containerd(fakeBoundParameters);
                if (metadata == null) return null;
                var reader = new ContainerdRecordReader(metadata);
                return CompletionInput.Namespaces(metadata, fakeBoundParameters).SelectMany(ns => reader.Containers(ns, null, _ => { })).Select(c => c.Id);
            }, wordToComplete);
    }
}
