using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ImageTools.Stores.Discovery
{
    /// <summary>
    /// Reads one string key of a TOML document's top level (containerd's <c>root</c> in config.toml), and nothing else.
    /// It is a real TOML reader for what comes before the first table header: bare, quoted and dotted keys; the four kinds
    /// of strings with their escapes; arrays and inline tables spanning lines, with comments; so that a <c>[</c> inside a
    /// value or a <c>root</c> inside a string is never taken for a table or the key. Values other than the key wanted are
    /// skipped, not checked beyond their shape.
    /// </summary>
    internal sealed class TomlTopLevelString
    {
        private readonly string _s;
        private int _pos;

        private TomlTopLevelString(string text) { _s = text; }

        /// <summary>The value of the top-level string key, or null when the top level does not set it.</summary>
        /// <exception cref="FormatException">The text is not TOML, or sets the key twice or to something other than a string.</exception>
        public static string? Read(string text, string key) => new TomlTopLevelString(text).ReadKey(key);

        private string? ReadKey(string key)
        {
            string? found = null;
            while (true)
            {
                SkipBlankLinesAndComments();
                if (AtEnd || Peek == '[') return found; // the first table header ends the top level
                var parts = ReadDottedKey();
                SkipSpaces();
                Expect('=');
                SkipSpaces();
                if (parts.Count == 1 && parts[0] == key)
                {
                    if (found != null) throw Error($"'{key}' is set twice");
                    if (AtEnd || (Peek != '"' && Peek != '\'')) throw Error($"'{key}' is not a string");
                    found = ReadString();
                }
                else SkipValue();
                SkipSpaces();
                if (!AtEnd && Peek == '#') SkipComment();
                if (!AtEnd && !AtNewline) throw Error("expected the end of the line after a value");
            }
        }

        private bool AtEnd => _pos >= _s.Length;
        private char Peek => _s[_pos];
        private bool AtNewline => Peek == '\n' || (Peek == '\r' && _pos + 1 < _s.Length && _s[_pos + 1] == '\n');

        private void SkipSpaces() { while (!AtEnd && (Peek == ' ' || Peek == '\t')) _pos++; }

        private void SkipComment() { while (!AtEnd && Peek != '\n') _pos++; }

        private void SkipBlankLinesAndComments()
        {
            while (!AtEnd)
            {
                char c = Peek;
                if (c == ' ' || c == '\t' || c == '\n' || (c == '\r' && AtNewline)) _pos++;
                else if (c == '#') SkipComment();
                else return;
            }
        }

        private void Expect(char c)
        {
            if (AtEnd || Peek != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private List<string> ReadDottedKey()
        {
            var parts = new List<string> { ReadKeyPart() };
            while (true)
            {
                SkipSpaces();
                if (AtEnd || Peek != '.') return parts;
                _pos++;
                SkipSpaces();
                parts.Add(ReadKeyPart());
            }
        }

        private string ReadKeyPart()
        {
            if (AtEnd) throw Error("expected a key");
            if (Peek == '"' || Peek == '\'')
            {
                if (_pos + 2 < _s.Length && _s[_pos + 1] == Peek && _s[_pos + 2] == Peek) throw Error("a key cannot be a multi-line string");
                return ReadString();
            }
            int start = _pos;
            while (!AtEnd && (char.IsLetterOrDigit(Peek) && Peek < 128 || Peek == '_' || Peek == '-')) _pos++;
            if (_pos == start) throw Error("expected a key");
            return _s.Substring(start, _pos - start);
        }

        private void SkipValue()
        {
            if (AtEnd) throw Error("expected a value");
            switch (Peek)
            {
                case '"': case '\'': ReadString(); return;
                case '[': SkipArray(); return;
                case '{': SkipInlineTable(); return;
            }
            // numbers, booleans, dates (a date-time may hold one space: 1979-05-27 07:32:00Z)
            int start = _pos;
            while (!AtEnd && !AtNewline && Peek != '#' && Peek != ',' && Peek != ']' && Peek != '}') _pos++;
            while (_pos > start && (_s[_pos - 1] == ' ' || _s[_pos - 1] == '\t')) _pos--;
            if (_pos == start) throw Error("expected a value");
            for (int i = start; i < _pos; i++)
                if (_s[i] == '=' || _s[i] == '"' || _s[i] == '\'' || _s[i] == '[' || _s[i] == '{') throw Error("expected a value");
        }

        private void SkipArray()
        {
            _pos++;
            while (true)
            {
                SkipBlankLinesAndComments();
                if (AtEnd) throw Error("an array is not closed");
                if (Peek == ']') { _pos++; return; }
                SkipValue();
                SkipBlankLinesAndComments();
                if (AtEnd) throw Error("an array is not closed");
                if (Peek == ',') { _pos++; continue; }
                Expect(']');
                return;
            }
        }

        private void SkipInlineTable()
        {
            _pos++;
            SkipBlankLinesAndComments();
            if (!AtEnd && Peek == '}') { _pos++; return; }
            while (true)
            {
                SkipBlankLinesAndComments();
                ReadDottedKey();
                SkipSpaces();
                Expect('=');
                SkipSpaces();
                SkipValue();
                SkipBlankLinesAndComments();
                if (AtEnd) throw Error("an inline table is not closed");
                if (Peek == ',') { _pos++; continue; }
                Expect('}');
                return;
            }
        }

        private string ReadString()
        {
            char q = Peek;
            bool multiLine = _pos + 2 < _s.Length && _s[_pos + 1] == q && _s[_pos + 2] == q;
            _pos += multiLine ? 3 : 1;
            if (multiLine)
            {
                // a newline right after the opening delimiter is not part of the string
                if (!AtEnd && Peek == '\n') _pos++;
                else if (!AtEnd && AtNewline) _pos += 2;
            }
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("a string is not closed");
                char c = Peek;
                if (c == q)
                {
                    if (!multiLine) { _pos++; return sb.ToString(); }
                    int run = 0;
                    while (_pos + run < _s.Length && _s[_pos + run] == q) run++;
                    if (run >= 3)
                    {
                        if (run > 5) throw Error("too many quotes close a string");
                        sb.Append(q, run - 3); // up to two quotes may sit right before the closing delimiter
                        _pos += run;
                        return sb.ToString();
                    }
                    sb.Append(q, run);
                    _pos += run;
                    continue;
                }
                if (c == '\n' || c == '\r')
                {
                    if (!multiLine) throw Error("a string runs past the end of its line");
                    if (c == '\r' && !AtNewline) throw Error("a lone carriage return in a string");
                    sb.Append(c);
                    _pos++;
                    continue;
                }
                if (c < 0x20 && c != '\t' || c == 0x7F) throw Error("a control character in a string");
                if (c == '\\' && q == '"') { ReadEscape(sb, multiLine); continue; }
                sb.Append(c);
                _pos++;
            }
        }

        private void ReadEscape(StringBuilder sb, bool multiLine)
        {
            _pos++;
            if (AtEnd) throw Error("a string is not closed");
            char e = Peek;
            _pos++;
            switch (e)
            {
                case 'b': sb.Append('\b'); return;
                case 't': sb.Append('\t'); return;
                case 'n': sb.Append('\n'); return;
                case 'f': sb.Append('\f'); return;
                case 'r': sb.Append('\r'); return;
                case 'e': sb.Append('\u001B'); return;
                case '"': sb.Append('"'); return;
                case '\\': sb.Append('\\'); return;
                case 'u': AppendCodePoint(sb, 4); return;
                case 'U': AppendCodePoint(sb, 8); return;
            }
            if (multiLine && (e == ' ' || e == '\t' || e == '\n' || e == '\r'))
            {
                // a line-ending backslash: the newline and the whitespace after it are dropped
                _pos--;
                SkipSpaces();
                if (AtEnd || !AtNewline) throw Error("only whitespace may follow a line-ending backslash");
                while (!AtEnd && (Peek == ' ' || Peek == '\t' || Peek == '\n' || (Peek == '\r' && AtNewline))) _pos++;
                return;
            }
            throw Error($"'\\{e}' is not a TOML escape");
        }

        private void AppendCodePoint(StringBuilder sb, int digits)
        {
            if (_pos + digits > _s.Length
                || !int.TryParse(_s.Substring(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int cp)
                || cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                throw Error($"a \\{(digits == 4 ? 'u' : 'U')} escape that is not a Unicode scalar value");
            _pos += digits;
            sb.Append(char.ConvertFromUtf32(cp));
        }

        private FormatException Error(string what)
        {
            int line = 1, col = 1;
            for (int i = 0; i < Math.Min(_pos, _s.Length); i++)
            {
                if (_s[i] == '\n') { line++; col = 1; }
                else col++;
            }
            return new FormatException($"line {line}, column {col}: {what}");
        }
    }
}
