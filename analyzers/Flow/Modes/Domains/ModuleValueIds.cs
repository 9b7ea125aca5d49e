using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// How one flow names module values, and what it knows about a value it has not seen written: the mode and freeze
    /// state a value has on entry. Ids are allocated per site, per entry storage and per merged storage, so that every
    /// iteration of the fixpoint (and both runs of a steering flag) names a value the same way. Owned by one
    /// <see cref="ModeFlow"/>; the domains' joins and the transfer ask it.
    /// </summary>
    internal sealed class ModuleValueIds
    {
        /// <summary>"No value": the storage holds nothing the flow tracks.</summary>
        public const int NoValue = 0;

        private readonly bool _isNestedFunction;
        private readonly LambdaEntry? _lambdaEntry;
        private readonly Dictionary<SyntaxNode, int> _siteIds = new Dictionary<SyntaxNode, int>();
        private readonly Dictionary<Storage, int> _entryIds = new Dictionary<Storage, int>();
        private readonly Dictionary<int, Storage> _entryStorages = new Dictionary<int, Storage>();
        private readonly Dictionary<Storage, int> _mergeIds = new Dictionary<Storage, int>();
        private readonly Dictionary<int, IOperation> _creations = new Dictionary<int, IOperation>();

        public ModuleValueIds(bool isNestedFunction, LambdaEntry? lambdaEntry)
        {
            _isNestedFunction = isNestedFunction;
            _lambdaEntry = lambdaEntry;
        }

        /// <summary>The value each storage held when the function started, for those the flow read.</summary>
        public IReadOnlyDictionary<Storage, int> EntryIds => _entryIds;

        /// <summary>Entry values have even negative ids, merged values odd negative ones, created values positive ones.</summary>
        public static bool IsEntryId(int id) => id < 0 && id % 2 == 0;

        public static bool IsMergeId(int id) => id < 0 && id % 2 != 0;

        /// <summary>The value a storage holds in <paramref name="modules"/>: its entry value when untouched and it has one.</summary>
        public int ValueIn(ModuleModeDomain modules, Storage storage)
        {
            if (modules.Values.TryGetValue(storage, out var id))
            {
                return id;
            }

            return storage.HasEntryValue || (_lambdaEntry != null && storage.Symbol != null && _lambdaEntry.CapturedModes.ContainsKey(storage.Symbol))
                ? EntryIdOf(storage)
                : NoValue;
        }

        /// <summary>The mode of a value in <paramref name="modules"/>: its entry mode when the flow has not written it.</summary>
        public ModeFact ModeIn(ModuleModeDomain modules, int id)
        {
            if (modules.Modes.TryGetValue(id, out var mode))
            {
                return mode;
            }

            return _entryStorages.TryGetValue(id, out var storage) ? EntryMode(storage) : ModeFact.Unknown;
        }

        /// <summary>Whether the value was created in this flow (so its parameters start trainable).</summary>
        public bool IsCreatedHere(int id) => _creations.ContainsKey(id);

        /// <summary>The creation of a value created in this flow.</summary>
        public bool TryGetCreation(int id, out IOperation creation) => _creations.TryGetValue(id, out creation!);

        /// <summary>Names the value created at <paramref name="creation"/>.</summary>
        public int CreatedAt(IOperation creation)
        {
            var id = SiteIdOf(creation.Syntax);
            _creations[id] = creation;
            return id;
        }

        /// <summary>The id of the value a site produces (a creation, a module from code the flow cannot see).</summary>
        public int SiteIdOf(SyntaxNode site)
        {
            if (!_siteIds.TryGetValue(site, out var id))
            {
                id = _siteIds.Count + 1;
                _siteIds[site] = id;
            }

            return id;
        }

        /// <summary>The id of the value a storage holds after paths that left it different values meet.</summary>
        public int MergeIdOf(Storage storage)
        {
            if (!_mergeIds.TryGetValue(storage, out var id))
            {
                id = -(_mergeIds.Count + 1) * 2 - 1;
                _mergeIds[storage] = id;
            }

            return id;
        }

        private int EntryIdOf(Storage storage)
        {
            if (!_entryIds.TryGetValue(storage, out var id))
            {
                id = -(_entryIds.Count + 1) * 2;
                _entryIds[storage] = id;
                _entryStorages[id] = storage;
            }

            return id;
        }

        private ModeFact EntryMode(Storage storage)
        {
            // In a lambda or local function, parameters and captured values come from code the flow cannot follow, unless
            // the code around a lambda tells the modes of the modules it captures (LambdaEntries).
            if (_isNestedFunction)
            {
                return _lambdaEntry != null && storage.Symbol != null && _lambdaEntry.CapturedModes.TryGetValue(storage.Symbol, out var captured)
                    ? captured
                    : ModeFact.Unknown;
            }

            // `this` is the module whose own methods run: its mode is its caller's business
            // (docs/architecture.md, "Analysis semantics").
            return storage.IsThis ? ModeFact.Unknown : ModeFact.Entry(storage.Symbol!);
        }
    }
}
