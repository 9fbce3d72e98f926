package io.prunestream.core.gal;

import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The residual blocks of a graph, where GAL's per-block mask multiplies the residual branch's output
 * just before the block's add. A block is an add of two inputs: the <i>branch</i>, a set of nodes that
 * feed nothing but this add, ending in a batch-norm or conv (whose weights can absorb the mask), and
 * the <i>shortcut</i>, the other input. With a zero mask the add's output is the shortcut, so the
 * branch and the add can be removed and the add's readers can read the shortcut instead.
 *
 * <p>When both inputs are private chains (a projection shortcut), the longer one is the branch. An add
 * is left unmasked, with a reason, when it has more than two inputs, when neither input is private to
 * it, when the two candidates are equally long, or when the branch ends in an op that cannot absorb a
 * scale.
 */
public final class BlockSites {
    /**
     * One residual block; its mask id is its position in {@link #blocks()}.
     *
     * @param addId the add node joining branch and shortcut
     * @param branchOutput the branch's last node, whose output the mask multiplies
     * @param shortcut the add's other input (a node id or {@link ModelSpec#INPUT})
     * @param branchNodes every node of the branch, in graph order
     */
    public record Block(String addId, String branchOutput, String shortcut, List<String> branchNodes) {
        public Block {
            branchNodes = List.copyOf(branchNodes);
        }
    }

    private final List<Block> blocks;
    private final Map<String, String> unmasked;

    private BlockSites(List<Block> blocks, Map<String, String> unmasked) {
        this.blocks = Collections.unmodifiableList(blocks);
        this.unmasked = Collections.unmodifiableMap(unmasked);
    }

    public static BlockSites of(ModelGraph model) {
        List<Block> blocks = new ArrayList<>();
        Map<String, String> unmasked = new LinkedHashMap<>();
        for (NodeSpec node : model.order()) {
            if (node.op() != Op.ADD) {
                continue;
            }
            if (node.inputs().size() != 2 || node.inputs().get(0).equals(node.inputs().get(1))) {
                unmasked.put(node.id(), "adds " + node.inputs() + ", not a shortcut and a branch");
                continue;
            }
            List<String> first = privateChain(model, node, node.inputs().get(0));
            List<String> second = privateChain(model, node, node.inputs().get(1));
            if (first.size() == second.size()) {
                unmasked.put(node.id(), first.isEmpty() ? "neither input feeds only this add"
                        : "cannot tell the branch from the shortcut (both are private chains of " + first.size()
                                + " nodes)");
                continue;
            }
            int branch = first.size() > second.size() ? 0 : 1;
            String end = node.inputs().get(branch);
            Op endOp = model.node(end).op();
            if (endOp != Op.BATCHNORM && endOp != Op.CONV2D) {
                unmasked.put(node.id(), "branch ends in " + endOp.key() + " '" + end
                        + "', which cannot absorb the mask (a batch-norm or conv can)");
                continue;
            }
            blocks.add(new Block(node.id(), end, node.inputs().get(1 - branch), branch == 0 ? first : second));
        }
        return new BlockSites(blocks, unmasked);
    }

    /**
     * The nodes that feed only {@code add} through {@code end}: {@code end} itself when its only reader
     * is the add, then every node all of whose readers are already in the chain (one pass in reverse
     * graph order sees every reader before the node it reads). Empty when {@code end} has other readers.
     */
    private static List<String> privateChain(ModelGraph model, NodeSpec add, String end) {
        if (end.equals(ModelSpec.INPUT) || !model.consumers(end).equals(List.of(add.id()))) {
            return List.of();
        }
        Set<String> chain = new HashSet<>();
        chain.add(end);
        List<NodeSpec> order = model.order();
        for (int i = order.indexOf(model.node(end)) - 1; i >= 0; i--) {
            List<String> readers = model.consumers(order.get(i).id());
            if (!readers.isEmpty() && chain.containsAll(readers)) {
                chain.add(order.get(i).id());
            }
        }
        List<String> inOrder = new ArrayList<>();
        model.order().forEach(n -> {
            if (chain.contains(n.id())) {
                inOrder.add(n.id());
            }
        });
        return inOrder;
    }

    /** The residual blocks, in graph order; a block's mask id is its index here. */
    public List<Block> blocks() {
        return blocks;
    }

    /** Add node → why it carries no block mask. */
    public Map<String, String> unmasked() {
        return unmasked;
    }
}
