namespace ImageTools.Content.Yaml
{
    internal enum FindingKind
    {
        /// <summary>A valid reference: <see cref="ReferenceFinding.Reference"/> has its NormalizedReference.</summary>
        Reference,
        /// <summary>An image value that is not a valid reference (NormalizedReference is null).</summary>
        InvalidReference,
        /// <summary>An image value holding a template placeholder (<c>{{ .Values.x }}</c>, <c>${TAG}</c>).</summary>
        TemplatedReference,
        /// <summary>A YAML document that could not be parsed; the others of the file are still read.</summary>
        MalformedDocument,
    }

    /// <summary>What the scanner found at one place of a file; the message names the file and line.</summary>
    internal sealed class ReferenceFinding
    {
        public ReferenceFinding(FindingKind kind, string file, int line, string message, ImageReferenceInfo? reference = null)
        {
            Kind = kind;
            File = file;
            Line = line;
            Message = message;
            Reference = reference;
        }

        public FindingKind Kind { get; }
        public string File { get; }
        public int Line { get; }
        public string Message { get; }

        /// <summary>Set for every kind but MalformedDocument.</summary>
        public ImageReferenceInfo? Reference { get; }
    }
}
