using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>
    /// The TorchSharp API as symbols of one compilation, resolved once by metadata name and shared by
    /// every rule. <see cref="For"/> returns <c>null</c> when the compilation does not reference TorchSharp,
    /// and rules then register nothing: zero cost for code that does not use TorchSharp.
    /// </summary>
    internal sealed class TorchSymbols
    {
        // One instance per compilation, shared by all analyzers of the product. The table does not keep
        // compilations alive; a sentinel stands for "TorchSharp is absent" because the table cannot hold null.
        private static readonly ConditionalWeakTable<Compilation, TorchSymbols> Cache = new ConditionalWeakTable<Compilation, TorchSymbols>();
        private static readonly TorchSymbols Absent = new TorchSymbols();

        private TorchSymbols()
        {
            Compilation = null!;
            Torch = null!;
            Module = null!;
            GenericModules = ImmutableArray<INamedTypeSymbol>.Empty;
        }

        private TorchSymbols(Compilation compilation, INamedTypeSymbol torch, INamedTypeSymbol module, ImmutableArray<INamedTypeSymbol> genericModules)
        {
            Compilation = compilation;
            Torch = torch;
            Module = module;
            GenericModules = genericModules;
        }

        /// <summary>
        /// Whether <paramref name="method"/>, declared outside this compilation, may return a grad-mode scope: it returns
        /// <see cref="IDisposable"/> or TorchSharp's scope types, and its assembly references TorchSharp (a logger's
        /// <c>BeginScope</c> cannot switch autograd; a model library's <c>Scopes.NoGrad()</c> can).
        /// </summary>
        public bool MayReturnGradScopeUnseen(IMethodSymbol method)
        {
            var returned = method.ReturnType;
            var scopeLike = returned.SpecialType == SpecialType.System_IDisposable
                            || (IsTorchSharp(returned) && (returned.Name == "AutoGradMode" || returned.Name == "InferenceMode"));
            return scopeLike && !IsTorchSharp(method) && method.ContainingAssembly is { } assembly && ReferencesTorchSharp(assembly);
        }

        private readonly ConcurrentDictionary<IAssemblySymbol, bool> _referencesTorchSharp = new ConcurrentDictionary<IAssemblySymbol, bool>(SymbolEqualityComparer.Default);

        private bool ReferencesTorchSharp(IAssemblySymbol assembly)
            => _referencesTorchSharp.GetOrAdd(assembly, a => a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == Torch.ContainingAssembly.Name)));

        /// <summary>The compilation these symbols belong to: "our code" is code whose syntax is in it (<see cref="SourceSymbols.IsInSource"/>).</summary>
        public Compilation Compilation { get; }

        /// <summary><c>TorchSharp.torch</c>, the static class that holds the grad-mode switches.</summary>
        public INamedTypeSymbol Torch { get; }

        /// <summary><c>TorchSharp.torch.nn.Module</c>, the base of every module.</summary>
        public INamedTypeSymbol Module { get; }

        /// <summary><c>Module&lt;T,TResult&gt;</c> … <c>Module&lt;T1..T6,TResult&gt;</c>, unconstructed.</summary>
        public ImmutableArray<INamedTypeSymbol> GenericModules { get; }

        /// <summary>The symbols of <paramref name="compilation"/>, or <c>null</c> when it does not reference TorchSharp.</summary>
        public static TorchSymbols? For(Compilation compilation)
        {
            var symbols = Cache.GetValue(compilation, Resolve);
            return ReferenceEquals(symbols, Absent) ? null : symbols;
        }

        /// <summary>
        /// Whether <paramref name="compilation"/> may reference TorchSharp, read from its references alone (no symbol is
        /// created): the cheap gate every rule passes before it registers anything.
        /// </summary>
        public static bool IsReferenced(Compilation compilation)
        {
            foreach (var reference in compilation.ExternalReferences)
            {
                switch (reference)
                {
                    case PortableExecutableReference file when file.FilePath is { } path:
                        if (IsTorchSharpFile(path))
                        {
                            return true;
                        }

                        break;
                    case PortableExecutableReference _:
                    case CompilationReference _:
                        // A reference whose file we cannot name: For decides.
                        return For(compilation) != null;
                }
            }

            return false;
        }

        private static bool IsTorchSharpFile(string path)
            => string.Equals(System.IO.Path.GetFileNameWithoutExtension(path), "TorchSharp", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// A type lookup in the assembly that declares TorchSharp's types when the compilation references a file named TorchSharp.dll; the
        /// compilation itself (whose lookup also searches the source) when a reference cannot be named; null when absent.
        /// </summary>
        private static Func<string, INamedTypeSymbol?>? TypeLookupOf(Compilation compilation)
        {
            foreach (var reference in compilation.ExternalReferences)
            {
                switch (reference)
                {
                    case PortableExecutableReference file when file.FilePath is { } path:
                        if (IsTorchSharpFile(path) && compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly)
                        {
                            // Looking up in the referenced assembly alone never builds the compilation's declaration table.
                            return assembly.GetTypeByMetadataName;
                        }

                        break;
                    case PortableExecutableReference _:
                    case CompilationReference _:
                        // A reference whose file we cannot name: ask the slow way.
                        return compilation.GetTypeByMetadataName("TorchSharp.torch") != null ? compilation.GetTypeByMetadataName : null;
                }
            }

            return null;
        }

        /// <summary>Which grad-mode switch <paramref name="method"/> is, or <c>null</c> when it is none.</summary>
        public GradScopeFactory? AsGradScopeFactory(IMethodSymbol method)
        {
            if (!method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, Torch))
            {
                return null;
            }

            switch (method.Name)
            {
                case TorchNames.NoGrad when method.Parameters.Length == 0:
                    return GradScopeFactory.NoGrad;
                case TorchNames.EnableGrad when method.Parameters.Length == 1:
                    return GradScopeFactory.EnableGrad;
                case TorchNames.SetGradEnabled when method.Parameters.Length == 1:
                    return GradScopeFactory.SetGradEnabled;
                case TorchNames.InferenceMode when method.Parameters.Length == 1:
                    return GradScopeFactory.InferenceMode;
                default:
                    return null;
            }
        }

        /// <summary>Classifies a call for the mode flow.</summary>
        public TorchCallKind Classify(IMethodSymbol method)
        {
            // A forward pass, also through a module's own override of forward().
            if (!method.IsStatic && (method.Name == TorchNames.Call || method.Name == TorchNames.Forward) && IsModule(method.ContainingType))
            {
                return TorchCallKind.Forward;
            }

            if (!IsTorchSharp(method))
            {
                return TorchCallKind.None;
            }

            var declaringType = method.ContainingType;
            if (!method.IsStatic && IsModule(declaringType))
            {
                switch (method.Name)
                {
                    case TorchNames.Eval when method.Parameters.Length == 0:
                        return TorchCallKind.Eval;
                    case TorchNames.Train when method.Parameters.Length == 1:
                        return TorchCallKind.Train;
                }

                return IsModule(method.ReturnType) ? TorchCallKind.FluentModuleMethod : TorchCallKind.None;
            }

            switch (method.Name)
            {
                case TorchNames.Backward:
                    return TorchCallKind.Backward;
                case TorchNames.Step when !method.IsStatic && method.Parameters.Length <= 1 && IsOptimizerType(declaringType):
                    return TorchCallKind.OptimizerStep;
            }

            return method.IsStatic && IsModule(method.ReturnType) ? TorchCallKind.ModuleFactory : TorchCallKind.None;
        }

        /// <summary>Whether <paramref name="symbol"/> is declared in the TorchSharp assembly.</summary>
        public bool IsTorchSharp(ISymbol symbol)
            => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, Torch.ContainingAssembly);

        /// <summary>Whether <paramref name="operation"/> creates a TorchSharp optimizer (<c>torch.optim.Adam(..)</c>, <c>new SGD(..)</c>).</summary>
        public bool IsOptimizerCreation(IOperation operation)
            => operation switch
            {
                Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation => invocation.TargetMethod.IsStatic
                    && invocation.TargetMethod.ContainingType?.Name == "optim" && IsTorchSharp(invocation.TargetMethod) && IsOptimizer(invocation.TargetMethod.ReturnType),
                Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation => IsOptimizer(creation.Type),
                _ => false,
            };

        /// <summary>Whether <paramref name="type"/> is a TorchSharp optimizer.</summary>
        public bool IsOptimizer(ITypeSymbol? type) => type != null && IsTorchSharp(type) && IsOptimizerType(type);

        private static bool IsOptimizerType(ITypeSymbol? type)
        {
            // Along the definitions, as IsModule: a constructed type's base is substituted at every request.
            for (var current = type?.OriginalDefinition; current != null; current = current.BaseType?.OriginalDefinition)
            {
                if (current.Name == "Optimizer" || current.Name == "OptimizerHelper")
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether a call of code other than TorchSharp's is given a module, as receiver or argument: code the mode flow
        /// either summarises (a method of this compilation) or treats as changing the module in unknown ways.
        /// </summary>
        public bool HandsModuleToOtherCode(Microsoft.CodeAnalysis.Operations.IInvocationOperation call)
            => !IsTorchSharp(call.TargetMethod) && (IsModule(call.Instance?.Type) || AnyModuleArgument(call.Arguments));

        /// <summary>Whether some argument is a module.</summary>
        public bool AnyModuleArgument(ImmutableArray<Microsoft.CodeAnalysis.Operations.IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                if (IsModule(argument.Value.Type))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="type"/> is <c>torch.nn.Module</c> or derives from it.</summary>
        public bool IsModule(ITypeSymbol? type)
        {
            // Modules are classes: tensors' element types, structs, arrays and type parameters answer at once.
            if (type is null || type.TypeKind != TypeKind.Class)
            {
                return false;
            }

            // Along the definitions: the base type of a constructed generic (Module<Tensor, Tensor>, Sequential's
            // bases) is substituted anew at every request, which made this the hottest line of the facts walk.
            for (var current = type.OriginalDefinition; current != null; current = current.BaseType?.OriginalDefinition)
            {
                if (SymbolEqualityComparer.Default.Equals(current, Module))
                {
                    return true;
                }
            }

            return false;
        }

        private static TorchSymbols Resolve(Compilation compilation)
        {
            // Looking a type up in the compilation builds its declaration table; asking the references first keeps
            // compilations without TorchSharp at (almost) zero cost, and the lookup in TorchSharp's own assembly cheap.
            if (!(TypeLookupOf(compilation) is { } lookUp))
            {
                return Absent;
            }

            var torch = lookUp("TorchSharp.torch");
            var module = lookUp("TorchSharp.torch+nn+Module");
            if (torch is null || module is null)
            {
                return Absent;
            }

            var generic = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            for (var arity = 2; arity <= 7; arity++)
            {
                if (lookUp("TorchSharp.torch+nn+Module`" + arity) is { } type)
                {
                    generic.Add(type);
                }
            }

            return new TorchSymbols(compilation, torch, module, generic.ToImmutable());
        }
    }
}
