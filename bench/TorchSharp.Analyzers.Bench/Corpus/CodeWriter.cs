using System;
using System.Text;

namespace TorchSharp.Analyzers.Bench.Corpus
{
    /// <summary>Writes C# text line by line with four-space indentation, and counts the lines.</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        /// <summary>How many lines have been written.</summary>
        public int Lines { get; private set; }

        public void Line(string text = "")
        {
            if (text.Length > 0)
            {
                _text.Append(' ', _indent * 4);
            }

            _text.Append(text).Append('\n');
            Lines++;
        }

        /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the result is disposed.</summary>
        public Scope Block(string header)
        {
            Line(header);
            Line("{");
            _indent++;
            return new Scope(this, string.Empty);
        }

        /// <summary>Writes <paramref name="header"/> and an opening brace; the closing brace gets <paramref name="closing"/> appended.</summary>
        public Scope Block(string header, string closing)
        {
            Line(header);
            Line("{");
            _indent++;
            return new Scope(this, closing);
        }

        public override string ToString() => _text.ToString();

        public readonly struct Scope : IDisposable
        {
            private readonly CodeWriter _writer;
            private readonly string _closing;

            public Scope(CodeWriter writer, string closing)
            {
                _writer = writer;
                _closing = closing;
            }

            public void Dispose()
            {
                _writer._indent--;
                _writer.Line("}" + _closing);
            }
        }
    }
}
