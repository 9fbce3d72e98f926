"""PyTorch's side of `prunectl bench peer`: one round of measurements, printed as one JSON line.

The network is not written out by hand: it is built from the PruneStream package the Java side
hands over (model.json + weights.safetensors), with the stock nn modules a PyTorch user would use,
so both sides run the same graph with the same weights. The Java side checks that with the logits
of a fixed input, printed here under "check_logits".

Only the standard library and torch are used: Debian's python3-torch has no safetensors package,
and the format is simple (an 8-byte little-endian header length, a JSON header, raw tensors).

Exit codes: 0 figures printed, 3 torch cannot be imported, 2 the package cannot be built.
Thread pools other than torch's own (OpenBLAS's) are sized by the caller through the environment,
since they read it when their library loads.
"""

import argparse
import json
import random
import struct
import sys
import time

NO_TORCH = 3
BAD_PACKAGE = 2


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--probe", action="store_true", help="print versions and exit")
    p.add_argument("--check-only", action="store_true", help="print versions and check_logits, measure nothing")
    p.add_argument("--model", help="package folder holding model.json and weights.safetensors")
    p.add_argument("--inference-model", help="package folder timed for inference (default: --model)")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--train-batches", type=int, default=10, help="timed SGD steps (after as many untimed ones)")
    p.add_argument("--train-batch-size", type=int, default=128)
    p.add_argument("--learning-rate", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--latency-runs", type=int, default=20, help="timed forward passes per batch size")
    p.add_argument("--warmup-runs", type=int, default=3, help="untimed forward passes per batch size first")
    p.add_argument("--batch-sizes", default="1,256", help="inference batch sizes, comma-separated")
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        import torch
    except ImportError as e:
        print("torch cannot be imported by %s: %s" % (sys.executable, e), file=sys.stderr)
        return NO_TORCH
    versions = {"torch": torch.__version__, "python": sys.version.split()[0], "executable": sys.executable}
    if args.probe:
        print(json.dumps(versions))
        return 0
    # Fixed before any parallel work: torch refuses to change inter-op threads afterwards.
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    try:
        spec, net = build(torch, args.model)
    except (OSError, ValueError, KeyError) as e:
        print("cannot build the network from %s: %s" % (args.model, e), file=sys.stderr)
        return BAD_PACKAGE
    shape = (spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"])
    figures = dict(versions)
    figures["threads"] = torch.get_num_threads()
    figures["interop_threads"] = torch.get_num_interop_threads()
    figures["mkldnn"] = bool(torch.backends.mkldnn.is_available())
    # Before training: training moves the weights the check compares.
    figures["check_logits"] = check_logits(torch, net, shape)
    if args.check_only:
        print(json.dumps(figures))
        return 0
    sizes = [int(b) for b in args.batch_sizes.split(",")]
    timed = build(torch, args.inference_model)[1] if args.inference_model else net
    figures["latency_ms"] = latency(torch, timed, shape, sizes, args.warmup_runs, args.latency_runs, args.seed)
    figures["train_images_per_second"] = training(torch, net, shape, spec["classes"], args)
    figures["blas"] = loaded_blas()
    print(json.dumps(figures))
    return 0


# ---------------------------------------------------------------- the package, as nn modules

def read_safetensors(torch, path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s is truncated" % path)
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    base = 8 + length
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        if meta["dtype"] != "F32":
            raise ValueError("tensor %s is %s, only F32 is read" % (name, meta["dtype"]))
        start, end = meta["data_offsets"]
        raw = bytearray(data[base + start:base + end])
        flat = torch.frombuffer(raw, dtype=torch.float32) if raw else torch.zeros(0)
        tensors[name] = flat.reshape(meta["shape"]).clone()
    return tensors


def module_classes(torch):
    """The module classes need torch, which is imported only inside main (to report its absence)."""
    nn = torch.nn

    class Sum(nn.Module):
        def forward(self, *xs):
            out = xs[0]
            for x in xs[1:]:
                out = out + x
            return out

    class Concat(nn.Module):
        def forward(self, *xs):
            return torch.cat(xs, 1)

    class PackageNet(nn.Module):
        """Runs the nodes in a topological order, dropping each activation after its last reader
        (PruneStream's executor does the same, so neither side holds more memory than it needs)."""

        def __init__(self, steps, output):
            super().__init__()
            self.layers = nn.ModuleList([m for _, m, _, _ in steps])
            self.plan = [(node_id, inputs, release) for node_id, _, inputs, release in steps]
            self.output = output

        def forward(self, x):
            values = {"input": x}
            for (node_id, inputs, release), layer in zip(self.plan, self.layers):
                values[node_id] = layer(*[values[i] for i in inputs])
                for gone in release:
                    del values[gone]
            return values[self.output]

    return Sum, Concat, PackageNet


def make_layer(torch, node, weights, Sum, Concat):
    nn = torch.nn
    op, a, key = node["op"], node.get("attrs", {}), node["id"] + "."

    def w(name):
        if key + name not in weights:
            raise KeyError("weights.safetensors has no tensor %s%s (node %s)" % (key, name, node["id"]))
        return weights[key + name]

    def pool_args():
        k = int(a["kernel"])
        return dict(kernel_size=k, stride=int(a.get("stride", k)), padding=int(a.get("padding", 0)))

    if op == "conv2d":
        weight = w("weight")
        groups = int(a.get("groups", 1))
        bias = bool(a.get("bias", False))
        layer = nn.Conv2d(weight.shape[1] * groups, weight.shape[0], weight.shape[2], stride=int(a.get("stride", 1)),
                          padding=int(a.get("padding", 0)), groups=groups, bias=bias)
        return load(torch, layer, {"weight": weight, "bias": w("bias") if bias else None})
    if op == "batchnorm":
        gamma = w("gamma")
        layer = nn.BatchNorm2d(gamma.shape[0], eps=float(a.get("eps", 1e-5)), momentum=float(a.get("momentum", 0.1)))
        return load(torch, layer, {"weight": gamma, "bias": w("beta"), "running_mean": w("running_mean"),
                                   "running_var": w("running_var")})
    if op == "linear":
        weight = w("weight")
        bias = bool(a.get("bias", True))
        layer = nn.Linear(weight.shape[1], weight.shape[0], bias=bias)
        return load(torch, layer, {"weight": weight, "bias": w("bias") if bias else None})
    simple = {
        "relu": lambda: nn.ReLU(),
        "relu6": lambda: nn.ReLU6(),
        "maxpool": lambda: nn.MaxPool2d(**pool_args()),
        # count_include_pad=True, ceil_mode=False: what PruneStream's executor asks DJL for.
        "avgpool": lambda: nn.AvgPool2d(**pool_args()),
        "global_avgpool": lambda: nn.AdaptiveAvgPool2d(1),
        "flatten": lambda: nn.Flatten(),
        "dropout": lambda: nn.Dropout(float(a.get("rate", 0.5))),
        "add": Sum,
        "concat": Concat,
    }
    if op not in simple:
        raise ValueError("node %s: op %r is not known to this script" % (node["id"], op))
    return simple[op]()


def load(torch, layer, tensors):
    with torch.no_grad():
        for name, value in tensors.items():
            if value is None:
                continue
            target = getattr(layer, name)
            if tuple(target.shape) != tuple(value.shape):
                raise ValueError("%s has shape %s, the layer needs %s" % (name, list(value.shape), list(target.shape)))
            target.copy_(value)
    return layer


def topological(nodes, output):
    by_id = {n["id"]: n for n in nodes}
    order, state = [], {}

    def visit(node_id):
        if node_id == "input":
            return
        if node_id not in by_id:
            raise ValueError("input %r of a node is not a node" % node_id)
        if state.get(node_id) == "done":
            return
        if state.get(node_id) == "open":
            raise ValueError("the graph has a cycle through %s" % node_id)
        state[node_id] = "open"
        for i in by_id[node_id]["inputs"]:
            visit(i)
        state[node_id] = "done"
        order.append(by_id[node_id])

    # One frame per node along the longest path: allow a graph as deep as it has nodes.
    sys.setrecursionlimit(max(1000, 4 * len(nodes)))
    visit(output)
    return order


def build(torch, folder):
    with open(folder + "/model.json", encoding="utf-8") as f:
        spec = json.load(f)
    weights = read_safetensors(torch, folder + "/weights.safetensors")
    Sum, Concat, PackageNet = module_classes(torch)
    order = topological(spec["nodes"], spec["output"])
    last_reader = {}
    for index, node in enumerate(order):
        for i in node["inputs"]:
            last_reader[i] = index
    steps = []
    for index, node in enumerate(order):
        release = sorted({i for i in node["inputs"] if last_reader[i] == index})
        steps.append((node["id"], make_layer(torch, node, weights, Sum, Concat), node["inputs"], release))
    return spec, PackageNet(steps, spec["output"])


# ---------------------------------------------------------------- measurements

def check_logits(torch, net, shape):
    """Logits of sin(0.37 i) laid out as one NCHW image: the Java side computes the same."""
    net.eval()
    n = shape[0] * shape[1] * shape[2]
    x = torch.arange(n, dtype=torch.float64).mul(0.37).sin().float().reshape(1, *shape)
    with torch.inference_mode():
        return [float(v) for v in net(x)[0]]


def latency(torch, net, shape, sizes, warmup_runs, runs, seed):
    """Median wall time per batch size, in the way PruneStream's LatencyMeter times one model: warm-up
    runs first, then rounds timing every batch size once in a shuffled order; the input is made
    before the clock starts and the clock stops once one number has been read from the output."""
    net.eval()
    times = {b: [] for b in sizes}
    order = random.Random(seed)
    with torch.inference_mode():
        def run(b):
            x = torch.randn(b, *shape)
            start = time.perf_counter()
            float(net(x).sum())
            return (time.perf_counter() - start) * 1e3

        for b in sizes:
            for _ in range(warmup_runs):
                run(b)
        for _ in range(runs):
            shuffled = list(sizes)
            order.shuffle(shuffled)
            for b in shuffled:
                times[b].append(run(b))
    return {str(b): median(v) for b, v in times.items()}


def training(torch, net, shape, classes, args):
    """Images per second of SGD steps on random data: one untimed pass of --train-batches steps, then
    a timed one, as the Java side times the second of two epochs. Each step reads the loss and the
    correct count back, as PruneStream's trainer does for its progress figures."""
    net.train()
    f = torch.nn.functional
    opt = torch.optim.SGD(net.parameters(), lr=args.learning_rate, momentum=args.momentum,
                          weight_decay=args.weight_decay)
    batch, steps = args.train_batch_size, args.train_batches
    images = torch.randn(steps * batch, *shape)
    labels = torch.randint(0, classes, (steps * batch,))

    def one_pass():
        for s in range(steps):
            x, y = images[s * batch:(s + 1) * batch], labels[s * batch:(s + 1) * batch]
            opt.zero_grad(set_to_none=True)
            logits = net(x)
            loss = f.cross_entropy(logits, y)
            loss.backward()
            opt.step()
            loss.item()
            int((logits.argmax(1) == y).sum())

    one_pass()
    start = time.perf_counter()
    one_pass()
    return steps * batch / (time.perf_counter() - start)


def loaded_blas():
    """The BLAS libraries this process has mapped: Debian's torch calls whichever libblas.so.3 the
    system's alternatives name (the reference BLAS unless OpenBLAS is installed), and that library
    decides the speed of every convolution oneDNN does not take, so the figures need it beside them."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.rsplit("/", 1)[-1]}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/"))


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
