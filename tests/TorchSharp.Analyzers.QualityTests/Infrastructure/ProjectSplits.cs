using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>One source split into a library and a consumer that references it, as two projects of an IDE solution.</summary>
    internal sealed record ProjectSplit(string Name, string Library, string Consumer);

    /// <summary>
    /// Splits a source at each boundary between its type declarations: the types before the boundary go to a library, the
    /// rest (and any top-level statements) to a consumer that references it. The library lets the consumer see its internal
    /// types, so most splits still bind. In an IDE a project reference is a compilation reference: the library's symbols
    /// are source symbols whose syntax trees are not part of the consumer's compilation (issue 13, item 3).
    /// </summary>
    internal static class ProjectSplits
    {
        /// <summary>The library's assembly name; the consumer's is <see cref="ConsumerName"/>.</summary>
        public const string LibraryName = "Library";

        /// <summary>The consumer's assembly name, which the library's <c>InternalsVisibleTo</c> names.</summary>
        public const string ConsumerName = "Consumer";

        private static readonly CompilationUnitSyntax InternalsVisible = SyntaxFactory.ParseCompilationUnit(
            "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"" + ConsumerName + "\")]\n");

        /// <summary>Every split of <paramref name="source"/>; none when it declares fewer than two types.</summary>
        public static IEnumerable<ProjectSplit> Of(CorpusSource source)
        {
            var root = Compilations.Parse(source.Code).GetCompilationUnitRoot();
            var types = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                .OfType<BaseTypeDeclarationSyntax>()
                .ToList();
            for (var boundary = 1; boundary < types.Count; boundary++)
            {
                var inLibrary = types.Take(boundary).ToList();
                var inConsumer = types.Skip(boundary).ToList();
                var library = ((CompilationUnitSyntax)root.RemoveNodes(inConsumer.Cast<SyntaxNode>().Concat(root.Members.OfType<GlobalStatementSyntax>()), SyntaxRemoveOptions.KeepNoTrivia)!)
                    .AddAttributeLists(InternalsVisible.AttributeLists.ToArray());
                var consumer = root.RemoveNodes(inLibrary, SyntaxRemoveOptions.KeepNoTrivia)!;
                yield return new ProjectSplit($"{source.Origin} split after type {boundary}", library.ToFullString(), consumer.ToFullString());
            }
        }

        /// <summary>The library's compilation and the consumer's, which references it as a <see cref="CompilationReference"/>.</summary>
        public static (CSharpCompilation Library, CSharpCompilation Consumer) Compile(ProjectSplit split)
        {
            var library = CSharpCompilation.Create(LibraryName, new[] { Compilations.Parse(split.Library, "Library.cs") }, Compilations.References, Compilations.Options);
            var consumer = CSharpCompilation.Create(
                ConsumerName,
                new[] { Compilations.Parse(split.Consumer, "Consumer.cs") },
                Compilations.References.Add(library.ToMetadataReference()),
                Compilations.Options);
            return (library, consumer);
        }
    }
}
