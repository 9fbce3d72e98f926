package io.prunestream.cli;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.CostReport;
import io.prunestream.core.cost.NodeCost;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a package's nodes, channel groups and costs (FLOPs are multiply-accumulates).")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PKG", description = "package folder or zip, or zoo:<architecture>")
    String model;

    @Option(names = "--groups-only", description = "print only the channel groups")
    boolean groupsOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelPackage pkg = ModelSource.load(model);
        ModelGraph graph = pkg.graph();
        CostReport cost = CostModel.of(graph);
        out.printf("%s (%s): input %s, %d classes, %d nodes%n", pkg.spec().name(), pkg.spec().architecture(),
                Arrays.toString(pkg.spec().input().shape()), pkg.spec().classes(), pkg.spec().nodes().size());
        if (!groupsOnly) {
            out.println();
            Table nodes = new Table("node", "op", "inputs", "output", "MACs", "params");
            for (NodeCost c : cost.nodes()) {
                NodeSpec n = graph.node(c.nodeId());
                nodes.row(n.id(), n.op().key(), String.join(",", n.inputs()), Arrays.toString(graph.shape(n.id())),
                        Table.count(c.macs()), Table.count(c.params()));
            }
            nodes.print(out);
        }
        out.println();
        DependencyGraph deps = DependencyGraph.of(graph);
        Table groups = new Table("group", "name", "channels", "prunable", "members");
        for (ChannelGroup g : deps.groups()) {
            groups.row(String.valueOf(g.id()), g.name(), String.valueOf(g.size()),
                    g.prunable() ? "yes" : "no: " + g.notPrunableBecause(), g.describe());
        }
        groups.print(out);
        out.printf("%ntotal: %s MACs per image, %s parameters, %d channel groups (%d prunable)%n",
                Table.count(cost.macs()), Table.count(cost.params()), deps.groups().size(), deps.prunableGroups().size());
        return 0;
    }
}
