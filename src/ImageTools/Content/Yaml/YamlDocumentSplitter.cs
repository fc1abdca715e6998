using System;
using System.Collections.Generic;
using System.Text;

namespace ImageTools.Content.Yaml
{
    /// <summary>One YAML document's text cut out of a multi-document file, with where it starts.</summary>
    internal sealed class YamlChunk
    {
        public YamlChunk(string text, int firstLine, string? source)
        {
            Text = text;
            FirstLine = firstLine;
            Source = source;
        }

        /// <summary>The document's text, exactly as in the file (line ends kept), so marks index into it.</summary>
        public string Text { get; }

        /// <summary>The 1-based line of the file on which <see cref="Text"/> begins.</summary>
        public int FirstLine { get; }

        /// <summary>The <c># Source: chart/templates/x.yaml</c> comment Helm writes at the top of each document, if any.</summary>
        public string? Source { get; }

        /// <summary>A 1-based line of this chunk (as YamlDotNet counts it) as a 1-based line of the file.</summary>
        public int FileLine(long chunkLine) => FirstLine + (int)chunkLine - 1;
    }

    /// <summary>
    /// Cuts a YAML stream into its documents at the <c>---</c> and <c>...</c> markers, so one malformed document
    /// does not hide the others (YamlDotNet's parser cannot go on after a syntax error).
    /// </summary>
    /// <remarks>
    /// Cutting the text is sound: YAML 1.2 forbids a line that begins with <c>---</c> or <c>...</c> followed by
    /// a space or the line end anywhere inside a document (even in block and quoted scalars), so such a line is
    /// always a document boundary. Directives (<c>%YAML</c>) start a new piece and stay with the document
    /// that follows them. A piece may hold more than one document (an empty <c>---</c> right before another one);
    /// the caller loads all the documents of each piece.
    /// </remarks>
    internal static class YamlDocumentSplitter
    {
        private const string SourcePrefix = "# Source:";

        public static IEnumerable<YamlChunk> Split(string text)
        {
            var current = new StringBuilder();
            int firstLine = 1;
            int lineNumber = 0;
            bool hasContent = false;
            string? source = null;
            int pos = 0;
            while (pos < text.Length)
            {
                int newline = text.IndexOf('\n', pos);
                int end = newline < 0 ? text.Length : newline + 1;
                string line = text.Substring(pos, end - pos);
                pos = end;
                lineNumber++;
                string bare = line.TrimEnd('\r', '\n');

                bool start = IsMarker(bare, "---");
                bool directive = bare.StartsWith("%", StringComparison.Ordinal);
                if ((start || directive) && hasContent)
                {
                    yield return new YamlChunk(current.ToString(), firstLine, source);
                    current.Clear();
                    firstLine = lineNumber;
                    hasContent = false;
                    source = null;
                }
                current.Append(line);

                if (IsMarker(bare, "..."))
                {
                    // Document end: whatever follows belongs to the next document.
                    yield return new YamlChunk(current.ToString(), firstLine, source);
                    current.Clear();
                    firstLine = lineNumber + 1;
                    hasContent = false;
                    source = null;
                    continue;
                }
                if (directive) continue;
                string rest = (start ? bare.Substring(3) : bare).Trim();
                if (rest.Length == 0) continue;
                if (rest[0] == '#')
                {
                    if (!hasContent && source == null && rest.StartsWith(SourcePrefix, StringComparison.Ordinal))
                        source = rest.Substring(SourcePrefix.Length).Trim();
                    continue;
                }
                hasContent = true;
            }
            if (current.Length > 0) yield return new YamlChunk(current.ToString(), firstLine, source);
        }

        private static bool IsMarker(string line, string marker) =>
            line.StartsWith(marker, StringComparison.Ordinal) && (line.Length == 3 || line[3] == ' ' || line[3] == '\t');
    }
}
