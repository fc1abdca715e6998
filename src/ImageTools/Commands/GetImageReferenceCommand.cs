using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ImageTools.Content.Yaml;

namespace ImageTools.Commands
{
    /// <summary>Lists the image references in Kubernetes manifests, Helm-rendered output and Compose files.</summary>
    /// <remarks>
    /// Reads YAML files (folders are searched recursively for *.yaml and *.yml) and returns one
    /// ImageReferenceInfo for every image a deployment of them would pull: the containers, initContainers and
    /// ephemeralContainers of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
    /// CronJob (spec.jobTemplate.spec.template) and PodTemplate objects, of custom kinds with the same
    /// spec.template.spec shape (Argo Rollout, Knative Service, ...), of the items of List kinds (List,
    /// DeploymentList, ...), and the services.NAME.image of Compose files (YAML merge keys followed). Files may
    /// hold many documents separated by --- (kubectl and helm template output); the # Source: comment Helm writes
    /// above each document is kept in the Source property. Line is the 1-based line of the image value in File;
    /// the references of a file come out in the order of those lines.
    ///
    /// NormalizedReference is the full form (docker.io/library/nginx:1.25); a reference with neither tag nor
    /// digest gets :latest, as a container runtime pulls it. Piped into Save-Image, the Reference property binds
    /// to its -Name, so the images a deployment needs are packed in one step; use -Unique to pack each image once.
    ///
    /// Problems never stop the listing. An image value that is not a valid reference (uppercase, empty, a bad
    /// digest, ...) is a non-terminating error InvalidReference naming the file and line, and the reference is
    /// NOT output (so nothing invalid reaches Save-Image); the error's TargetObject is the ImageReferenceInfo with
    /// NormalizedReference null. A YAML document that cannot be parsed is an error MalformedContent naming the file
    /// and line; the other documents of the file and the other files are still read. An image holding a template
    /// placeholder ({{ .Values.image }} of an un-rendered Helm chart, ${TAG} of a Compose file) is skipped with a
    /// warning, not an error: render the chart (helm template) or set the variables first.
    /// </remarks>
    /// <example>
    /// <code>Get-ImageReference -Path ./manifests</code>
    /// <para>Lists every image used by the manifests under ./manifests, with the kind, object and container using it.</para>
    /// </example>
    /// <example>
    /// <code>helm template web ./chart > rendered.yaml; Get-ImageReference rendered.yaml -Unique | Save-Image -Path ./web-images.tar</code>
    /// <para>Packs exactly the images a Helm release needs, each once.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem -Recurse -Filter *.yaml | Get-ImageReference | Where-Object ContainerType -eq InitContainer</code>
    /// <para>Files piped from Get-ChildItem are read as literal paths; this lists the images of init containers.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageReference compose.yaml, k8s/*.yaml -Unique | Select-Object -ExpandProperty NormalizedReference</code>
    /// <para>The distinct images, fully qualified, of a Compose file and a set of manifests.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageReference", DefaultParameterSetName = "Path")]
    [OutputType(typeof(ImageReferenceInfo))]
    public sealed class GetImageReferenceCommand : ImageToolsCmdlet
    {
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private ProgressRecord? _progress;
        private DateTime _lastProgress = DateTime.MinValue;
        private int _files;

        /// <summary>YAML files, or folders searched recursively for *.yaml and *.yml. Wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>YAML files or folders, taken exactly as written (no wildcards); FileInfo objects from Get-ChildItem bind here.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>Output one object per distinct NormalizedReference (the first place it is found), across all the files read.</summary>
        [Parameter]
        public SwitchParameter Unique { get; set; }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == "LiteralPath";
            foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal))
            {
                if (Directory.Exists(path))
                {
                    foreach (var file in YamlFileFinder.Find(path, (folder, e) => WriteFailure(e, folder)))
                        ScanFile(file);
                }
                else if (File.Exists(path))
                {
                    ScanFile(path);
                }
                else
                {
                    WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"Cannot find the file or folder '{path}'.", path));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_progress != null) ProgressEnd.Complete(this, _progress);
        }

        private void ScanFile(string file)
        {
            _files++;
            if ((DateTime.UtcNow - _lastProgress).TotalMilliseconds >= 500)
            {
                _lastProgress = DateTime.UtcNow;
                _progress ??= new ProgressRecord(7, "Get-ImageReference", "Reading manifests");
                _progress.StatusDescription = $"{_files} files read";
                _progress.CurrentOperation = file;
                WriteProgress(_progress);
            }

            IEnumerable<ReferenceFinding> findings;
            try { findings = ImageReferenceScanner.ScanFile(file); }
            catch (Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, file); return; }

            foreach (var finding in findings)
            {
                switch (finding.Kind)
                {
                    case FindingKind.Reference:
                        var info = finding.Reference!;
                        if (Unique && !_seen.Add(info.NormalizedReference!)) break;
                        WriteObject(info);
                        break;
                    case FindingKind.InvalidReference:
                        WriteError(ErrorRecords.From(
                            new ImageToolsException(ErrorId.InvalidReference, finding.Message, finding.Reference!.Reference, $"{file}:{finding.Line}"),
                            finding.Reference));
                        break;
                    case FindingKind.TemplatedReference:
                        WriteWarning(finding.Message);
                        break;
                    case FindingKind.MalformedDocument:
                        WriteError(ErrorRecords.From(
                            new ImageToolsException(ErrorId.MalformedContent, finding.Message, file, $"{file}:{finding.Line}"), file));
                        break;
                }
            }
        }
    }
}
