package io.prunestream.tf.savedmodel;

import java.util.Set;

/**
 * The TensorFlow ops a SavedModel may contain. Everything else (file access such as ReadFile or
 * WriteFile, PyFunc and its kin, string formatting and printing, system and debugging ops, and any
 * op this list does not know) is refused before the runtime loads the model.
 *
 * <p>Pure tensor computation, variables and function calls are allowed anywhere. Checkpoint ops are
 * file I/O too, but every SavedModel needs them to restore its variables: they are allowed only in
 * the part of the graph that the SavedModel's {@code saver_def} names, which the loader runs with
 * the {@code variables/} prefix it chooses itself (the save half never runs on import).
 */
public final class OpAllowList {
    private OpAllowList() {}

    static final Set<String> STRUCTURE = Set.of(
            "NoOp", "Identity", "IdentityN", "Const", "Placeholder", "PlaceholderWithDefault", "StopGradient",
            "Snapshot", "PreventGradient", "EnsureShape",
            "VarHandleOp", "ReadVariableOp", "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
            "VarIsInitializedOp", "DestroyResourceOp",
            "StatefulPartitionedCall", "PartitionedCall", "If", "StatelessIf", "While", "StatelessWhile", "Case",
            "StatelessCase", "Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond");

    static final Set<String> NEURAL = Set.of(
            "Conv2D", "DepthwiseConv2dNative", "BiasAdd", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3",
            "Relu", "Relu6", "Elu", "Selu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Softplus",
            "Softsign", "MaxPool", "MaxPoolV2", "AvgPool", "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3",
            "L2Loss", "ResizeBilinear", "ResizeNearestNeighbor");

    static final Set<String> MATH = Set.of(
            "Add", "AddV2", "AddN", "Sub", "Mul", "RealDiv", "Div", "DivNoNan", "FloorDiv", "FloorMod", "Neg",
            "Reciprocal", "Square", "Sqrt", "Rsqrt", "Exp", "Log", "Log1p", "Pow", "Abs", "Sign", "Floor", "Ceil",
            "Round", "Erf", "Maximum", "Minimum", "ClipByValue", "SquaredDifference", "Mean", "Sum", "Max", "Min",
            "Prod", "ArgMax", "ArgMin", "Cast", "Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual",
            "LogicalAnd", "LogicalOr", "LogicalNot", "Select", "SelectV2",
            "RandomUniform", "RandomStandardNormal", "TruncatedNormal", "StatelessRandomUniformV2",
            "StatelessRandomGetKeyCounter", "StatelessRandomNormalV2", "StatelessTruncatedNormalV2");

    static final Set<String> ARRAY = Set.of(
            "Reshape", "Shape", "ShapeN", "Size", "Rank", "Squeeze", "ExpandDims", "Transpose", "ConcatV2", "Concat",
            "Pack", "Unpack", "Split", "SplitV", "Slice", "StridedSlice", "Tile", "Fill", "ZerosLike", "OnesLike",
            "Pad", "PadV2", "MirrorPad", "GatherV2", "BroadcastTo", "BroadcastArgs", "Range");

    /** The checkpoint reader and writer and the string plumbing that builds their file names. */
    static final Set<String> CHECKPOINT = Set.of(
            "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec", "StringJoin",
            "StaticRegexFullMatch");

    /** Whether {@code op} may appear outside the saver's part of the graph. */
    public static boolean isComputeOp(String op) {
        return STRUCTURE.contains(op) || NEURAL.contains(op) || MATH.contains(op) || ARRAY.contains(op);
    }

    /** Whether {@code op} may appear in the saver's part of the graph. */
    public static boolean isSaverOp(String op) {
        return isComputeOp(op) || CHECKPOINT.contains(op);
    }
}
