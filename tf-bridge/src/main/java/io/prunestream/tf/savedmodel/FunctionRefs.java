package io.prunestream.tf.savedmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;

/** The library functions a node calls: through function-valued attributes, or by using one as its op. */
final class FunctionRefs {
    private FunctionRefs() {}

    static List<String> of(NodeDef node, Set<String> library) {
        List<String> refs = new ArrayList<>();
        if (library.contains(node.getOp())) {
            refs.add(node.getOp());
        }
        for (AttrValue v : node.getAttrMap().values()) {
            if (v.hasFunc()) {
                refs.add(v.getFunc().getName());
            }
            for (NameAttrList f : v.getList().getFuncList()) {
                refs.add(f.getName());
            }
        }
        return refs;
    }
}
