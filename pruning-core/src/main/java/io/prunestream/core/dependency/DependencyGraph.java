package io.prunestream.core.dependency;

import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the channel groups of a model. Every channel a layer creates is an "atom"; operators that
 * pass channels through (BN, activations, pooling, depthwise convs) forward their input's atoms, an
 * {@code add} declares its inputs' atoms equal, a {@code concat} lays its inputs' atoms side by side
 * and a {@code flatten} spreads each channel's atom over its spatial features. Atoms declared equal
 * are one channel; layers whose channels became equal are one group.
 */
public final class DependencyGraph {
    private final ModelGraph model;
    /** Per tensor (node id or input): the atom of each channel, or of each feature for flat tensors. */
    private final Map<String, int[]> atoms = new HashMap<>();
    /** Per flat tensor: how many consecutive features one channel spans (1 unless flattened). */
    private final Map<String, Integer> spans = new HashMap<>();
    private final UnionFind channels = new UnionFind();
    private final List<String> atomOwner = new ArrayList<>();
    private final BitSet fixedAtoms = new BitSet();
    private final Map<Integer, String> fixedReason = new HashMap<>();
    private final List<ChannelGroup> groups = new ArrayList<>();
    /** Atom root → (group id, index within the group). */
    private final Map<Integer, int[]> rootPlace = new HashMap<>();

    private DependencyGraph(ModelGraph model) {
        this.model = model;
    }

    public static DependencyGraph of(ModelGraph model) {
        DependencyGraph g = new DependencyGraph(model);
        g.traceAtoms();
        g.formGroups();
        return g;
    }

    public ModelGraph model() {
        return model;
    }

    /** Fails unless this graph was built from {@code pkg}'s spec: group ids mean nothing across models. */
    public DependencyGraph requireDescribes(io.prunestream.core.model.ModelPackage pkg) {
        if (model != pkg.graph() && !model.spec().equals(pkg.spec())) {
            throw new IllegalArgumentException("the dependency graph belongs to model '" + model.spec().name()
                    + "', not to '" + pkg.spec().name() + "'");
        }
        return this;
    }

    public List<ChannelGroup> groups() {
        return groups;
    }

    public List<ChannelGroup> prunableGroups() {
        return groups.stream().filter(ChannelGroup::prunable).toList();
    }

    public ChannelGroup group(int id) {
        return groups.get(id);
    }

    private int[] newAtoms(String owner, int count) {
        int[] a = new int[count];
        for (int i = 0; i < count; i++) {
            a[i] = channels.add();
            atomOwner.add(owner);
        }
        return a;
    }

    private void fix(int[] as, String reason) {
        for (int a : as) {
            fixedAtoms.set(a);
            fixedReason.putIfAbsent(a, reason);
        }
    }

    private void traceAtoms() {
        int[] input = newAtoms(ModelSpec.INPUT, model.shape(ModelSpec.INPUT)[0]);
        fix(input, "it is the network input");
        atoms.put(ModelSpec.INPUT, input);
        for (NodeSpec n : model.order()) {
            int[] in = atoms.get(n.input());
            int[] out;
            switch (n.op()) {
                case CONV2D -> {
                    int groupsAttr = n.intAttr("groups", 1);
                    int outChannels = n.intAttr("out_channels");
                    if (groupsAttr == 1) {
                        out = newAtoms(n.id(), outChannels);
                    } else if (groupsAttr == in.length && outChannels == in.length) {
                        out = in;
                    } else {
                        out = newAtoms(n.id(), outChannels);
                        String why = "grouped conv '" + n.id() + "' (groups=" + groupsAttr + ") cannot be split";
                        fix(in, why);
                        fix(out, why);
                    }
                }
                case LINEAR -> out = newAtoms(n.id(), n.intAttr("out_features"));
                case ADD -> {
                    for (String src : n.inputs().subList(1, n.inputs().size())) {
                        int[] other = atoms.get(src);
                        for (int i = 0; i < in.length; i++) {
                            channels.union(in[i], other[i]);
                        }
                    }
                    out = in;
                }
                case CONCAT -> out = n.inputs().stream().map(atoms::get).flatMapToInt(Arrays::stream).toArray();
                case FLATTEN -> {
                    int[] shape = model.shape(n.input());
                    int span = shape.length == 3 ? shape[1] * shape[2] : spans.getOrDefault(n.input(), 1);
                    out = new int[in.length * (shape.length == 3 ? span : 1)];
                    if (shape.length == 3) {
                        for (int f = 0; f < out.length; f++) {
                            out[f] = in[f / span];
                        }
                    } else {
                        out = in;
                    }
                    spans.put(n.id(), span);
                }
                default -> {
                    out = in;
                    if (spans.containsKey(n.input())) {
                        spans.put(n.id(), spans.get(n.input()));
                    }
                }
            }
            atoms.put(n.id(), out);
        }
        fix(atoms.get(model.spec().output()), "it is the classifier output");
    }

    private void formGroups() {
        // Layers (atom owners) whose atoms were joined belong to one group.
        Map<String, Integer> ownerIndex = new LinkedHashMap<>();
        for (String owner : atomOwner) {
            ownerIndex.putIfAbsent(owner, ownerIndex.size());
        }
        UnionFind owners = new UnionFind();
        ownerIndex.values().forEach(i -> owners.add());
        for (int a = 0; a < atomOwner.size(); a++) {
            int root = channels.find(a);
            owners.union(ownerIndex.get(atomOwner.get(a)), ownerIndex.get(atomOwner.get(root)));
        }
        Map<Integer, List<Integer>> rootsByOwnerGroup = new LinkedHashMap<>();
        Map<Integer, String> nameByOwnerGroup = new HashMap<>();
        for (int a = 0; a < atomOwner.size(); a++) {
            int og = owners.find(ownerIndex.get(atomOwner.get(a)));
            nameByOwnerGroup.putIfAbsent(og, atomOwner.get(a));
            int root = channels.find(a);
            List<Integer> roots = rootsByOwnerGroup.computeIfAbsent(og, k -> new ArrayList<>());
            if (!rootPlace.containsKey(root)) {
                rootPlace.put(root, new int[] {-1, roots.size()});
                roots.add(root);
            }
        }
        for (Map.Entry<Integer, List<Integer>> e : rootsByOwnerGroup.entrySet()) {
            int id = groups.size();
            List<Integer> roots = e.getValue();
            roots.forEach(r -> rootPlace.get(r)[0] = id);
            String reason = null;
            for (int a = 0; a < atomOwner.size() && reason == null; a++) {
                if (fixedAtoms.get(a) && rootPlace.get(channels.find(a))[0] == id) {
                    reason = fixedReason.get(a);
                }
            }
            groups.add(new ChannelGroup(id, nameByOwnerGroup.get(e.getKey()), roots.size(), List.of(), reason));
        }
        collectMembers();
    }

    private void collectMembers() {
        List<List<GroupMember>> members = new ArrayList<>();
        groups.forEach(g -> members.add(new ArrayList<>()));
        List<String> conflicts = new ArrayList<>(java.util.Collections.nCopies(groups.size(), null));
        for (NodeSpec n : model.order()) {
            switch (n.op()) {
                case CONV2D -> {
                    boolean depthwise = isDepthwise(n);
                    if (depthwise) {
                        addMembers(n.id(), MemberRole.DEPTHWISE, atoms.get(n.id()), 1, members, conflicts);
                    } else {
                        addMembers(n.id(), MemberRole.PRODUCER, atoms.get(n.id()), 1, members, conflicts);
                        addMembers(n.id(), MemberRole.CONSUMER, atoms.get(n.input()), 1, members, conflicts);
                    }
                }
                case LINEAR -> {
                    addMembers(n.id(), MemberRole.PRODUCER, atoms.get(n.id()), 1, members, conflicts);
                    addMembers(n.id(), MemberRole.CONSUMER, atoms.get(n.input()), spans.getOrDefault(n.input(), 1),
                            members, conflicts);
                }
                case BATCHNORM -> addMembers(n.id(), MemberRole.NORM, atoms.get(n.id()), 1, members, conflicts);
                default -> { }
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            ChannelGroup g = groups.get(i);
            String reason = g.notPrunableBecause() != null ? g.notPrunableBecause() : conflicts.get(i);
            if (reason == null && members.get(i).stream().noneMatch(m -> m.role() == MemberRole.PRODUCER)) {
                reason = "no layer produces it";
            }
            groups.set(i, new ChannelGroup(g.id(), g.name(), g.size(), members.get(i), reason));
        }
    }

    /** Splits one layer's channel axis by group and records, per group, where each group channel sits. */
    private void addMembers(String node, MemberRole role, int[] layerAtoms, int span,
            List<List<GroupMember>> members, List<String> conflicts) {
        Map<Integer, int[]> index = new LinkedHashMap<>();
        int channelsOnAxis = layerAtoms.length / span;
        for (int c = 0; c < channelsOnAxis; c++) {
            int[] place = rootPlace.get(channels.find(layerAtoms[c * span]));
            int[] idx = index.computeIfAbsent(place[0], g -> {
                int[] a = new int[groups.get(g).size()];
                Arrays.fill(a, -1);
                return a;
            });
            if (idx[place[1]] >= 0) {
                conflicts.set(place[0], "layer '" + node + "' sees one of its channels twice");
            }
            idx[place[1]] = c;
        }
        index.forEach((g, idx) -> {
            if (Arrays.stream(idx).anyMatch(i -> i < 0)) {
                if (role != MemberRole.CONSUMER) {
                    conflicts.set(g, "layer '" + node + "' carries only part of the group");
                }
            }
            members.get(g).add(new GroupMember(node, role, idx, span));
        });
    }

    static boolean isDepthwise(NodeSpec n) {
        return n.op() == Op.CONV2D && n.intAttr("groups", 1) > 1 && n.intAttr("groups", 1) == n.intAttr("out_channels");
    }

    /** Whether the channel or feature {@code index} of tensor {@code tensorId} survives the plan. */
    boolean kept(String tensorId, int index, PruningPlan plan) {
        int atom = atoms.get(tensorId)[index];
        int[] place = rootPlace.get(channels.find(atom));
        if (!plan.touches(place[0])) {
            return true;
        }
        return Arrays.binarySearch(plan.kept().get(place[0]), place[1]) >= 0;
    }

    /** Indices along the channel (or feature) axis of a tensor that survive the plan. */
    int[] keptIndices(String tensorId, PruningPlan plan) {
        int n = atoms.get(tensorId).length;
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (kept(tensorId, i, plan)) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Rejects plans that touch fixed groups, empty a group below {@code minChannels}, or name bad indices. */
    public void validate(PruningPlan plan, int minChannels) {
        for (Map.Entry<Integer, int[]> e : plan.kept().entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= groups.size()) {
                throw new IllegalArgumentException("plan names group " + e.getKey() + ", the model has " + groups.size());
            }
            ChannelGroup g = groups.get(e.getKey());
            int[] kept = e.getValue();
            if (!g.prunable() && kept.length != g.size()) {
                throw new IllegalArgumentException("group '" + g.name() + "' cannot be pruned: " + g.notPrunableBecause());
            }
            int floor = Math.min(g.size(), Math.max(1, minChannels));
            if (kept.length < floor) {
                throw new IllegalArgumentException("group '" + g.name() + "' would keep " + kept.length + " of "
                        + g.size() + " channels, the minimum is " + floor);
            }
            for (int i = 0; i < kept.length; i++) {
                if (kept[i] < 0 || kept[i] >= g.size() || (i > 0 && kept[i] == kept[i - 1])) {
                    throw new IllegalArgumentException("group '" + g.name() + "': kept index " + kept[i]
                            + " is out of range [0, " + g.size() + ") or repeated");
                }
            }
        }
    }

    /** Plain union-find with path halving; atoms are dense ints. */
    private static final class UnionFind {
        private int[] parent = new int[64];
        private int size;

        int add() {
            if (size == parent.length) {
                parent = Arrays.copyOf(parent, size * 2);
            }
            parent[size] = size;
            return size++;
        }

        int find(int a) {
            while (parent[a] != a) {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }
            return a;
        }

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                // The lower atom stays root so that a group is named after its first producer.
                parent[Math.max(ra, rb)] = Math.min(ra, rb);
            }
        }
    }
}
