package org.aigcmark.detect.ocr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;

/**
 * Rewrites an ONNX model's bytes so that ONNX Runtime runs fewer whole-tensor passes, with the same results up to float
 * rounding. PP-OCRv4's PPLCNetV3 layers, as exported by paddle2onnx, follow each convolution with a learnable affine
 * step (a scalar Mul and Add), a hard-swish spelled out as Add, Clip, Mul and Div, and another scalar Mul and Add: nine
 * passes over the tensor, at half the detector's input resolution in the first layers, where the DB detector spent
 * more time in them than in its convolutions (ONNX Runtime's optimiser fuses none of them). Three exact rewrites:
 *
 * <ol>
 *   <li>{@code Conv → Mul(a) → Add(b)}: the convolution's weights times {@code a}, its bias {@code a·bias + b};</li>
 *   <li>{@code y · clip(y + 3, 0, 6) / 6}: {@code y · HardSigmoid(y; 1/6, 1/2)} (the same function);</li>
 *   <li>{@code Mul(a) → Add(b) → Conv(W)} (every consumer a convolution): {@code Add(b/a) → Conv(a·W)}, since
 *       {@code a·x + b = a·(x + b/a)} and the convolution's zero padding scales with it.</li>
 * </ol>
 *
 * <p>Written by hand on the protobuf wire format because no Java library edits ONNX graphs and ONNX Runtime's Java API
 * loads models as they are; only the graph's nodes are parsed, every other field is copied byte for byte. A pattern
 * that does not match exactly (a tensor with more than one consumer, a non-scalar factor, a graph output in the middle)
 * is left alone, so any other model passes through with fewer or no changes. The DB detector goes from 672 to 370
 * nodes and 0.80x the CPU time, the recogniser from 765 to 491 nodes and 0.72x (docs/DETECT-OCR.md).
 */
final class AffineFolding {
    private AffineFolding() {}

    private static final int FLOAT = 1;
    private static final int ATTRIBUTE_FLOAT = 1;
    private static final int ATTRIBUTE_TENSOR = 4;

    /** One node: its inputs and outputs parsed, every other field kept as encoded (tag included). */
    static final class Node {
        final List<String> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        String opType = "";
        final List<byte[]> otherFields = new ArrayList<>();
        /** A Constant's float tensor (null otherwise) and its dims. */
        float[] value;
        long[] dims;

        String in(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }
    }

    /** What {@link #fold} changed, for the log and the tests. */
    record Result(byte[] model, int nodesBefore, int nodesAfter, int convAffines, int hardSwishes, int affinesIntoConv) {}

    /** The folded model, or the same bytes when nothing matched. */
    static Result fold(byte[] model) {
        List<byte[]> modelFields = new ArrayList<>();
        byte[] graph = null;
        int graphIndex = -1;
        for (Field f : fields(model, 0, model.length)) {
            if (f.number == 7 && f.wire == 2 && graph == null) {
                graph = f.value(model);
                graphIndex = modelFields.size();
                modelFields.add(null);
            } else {
                modelFields.add(f.raw(model));
            }
        }
        if (graph == null) {
            return new Result(model, 0, 0, 0, 0, 0);
        }
        List<Node> nodes = new ArrayList<>();
        List<byte[]> graphFields = new ArrayList<>();
        Set<String> graphOutputs = new HashSet<>();
        int nodesAt = -1;
        for (Field f : fields(graph, 0, graph.length)) {
            if (f.number == 1 && f.wire == 2) {
                if (nodesAt < 0) {
                    nodesAt = graphFields.size();
                    graphFields.add(null);
                }
                nodes.add(node(graph, f));
            } else {
                if (f.number == 12 && f.wire == 2) {
                    for (Field v : fields(graph, f.valueStart, f.end)) {
                        if (v.number == 1 && v.wire == 2) {
                            graphOutputs.add(v.string(graph));
                        }
                    }
                }
                graphFields.add(f.raw(graph));
            }
        }
        int before = nodes.size();
        Graph g = new Graph(nodes, graphOutputs);
        int convAffines = g.foldConvAffines();
        int hardSwishes = g.hardSwishes();
        int affinesIntoConv = g.foldAffinesIntoConvs();
        if (convAffines + hardSwishes + affinesIntoConv == 0) {
            return new Result(model, before, before, 0, 0, 0);
        }
        g.dropUnusedConstants();
        ByteArrayOutputStream nodeBytes = new ByteArrayOutputStream();
        for (Node n : g.nodes) {
            writeBytes(nodeBytes, 1, encode(n));
        }
        if (nodesAt < 0) {
            nodesAt = graphFields.size();
            graphFields.add(null);
        }
        graphFields.set(nodesAt, nodeBytes.toByteArray());
        ByteArrayOutputStream newGraph = new ByteArrayOutputStream();
        for (byte[] b : graphFields) {
            newGraph.writeBytes(b);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length);
        for (int i = 0; i < modelFields.size(); i++) {
            if (i == graphIndex) {
                writeBytes(out, 7, newGraph.toByteArray());
            } else {
                out.writeBytes(modelFields.get(i));
            }
        }
        return new Result(out.toByteArray(), before, g.nodes.size(), convAffines, hardSwishes, affinesIntoConv);
    }

    /** The node list with the lookups the rewrites need. */
    private static final class Graph {
        final List<Node> nodes;
        final Set<String> graphOutputs;
        final Map<String, Node> constants = new HashMap<>();
        int fresh;

        Graph(List<Node> nodes, Set<String> graphOutputs) {
            this.nodes = nodes;
            this.graphOutputs = graphOutputs;
            for (Node n : nodes) {
                if (n.value != null && n.outputs.size() == 1) {
                    constants.put(n.outputs.get(0), n);
                }
            }
        }

        List<Node> consumers(String name) {
            List<Node> c = new ArrayList<>();
            for (Node n : nodes) {
                if (n.inputs.contains(name)) {
                    c.add(n);
                }
            }
            return c;
        }

        /** The single consumer of {@code name} if it has exactly one and is not a graph output; else null. */
        Node only(String name, String opType) {
            if (graphOutputs.contains(name)) {
                return null;
            }
            List<Node> c = consumers(name);
            return c.size() == 1 && c.get(0).opType.equals(opType) ? c.get(0) : null;
        }

        /** The value of a one-element float constant, else NaN. */
        double scalar(String name) {
            Node c = constants.get(name);
            return c != null && c.value.length == 1 ? c.value[0] : Double.NaN;
        }

        /** The input of a two-input node other than {@code x} (the first when both are {@code x}). */
        static String other(Node n, String x) {
            return n.inputs.size() != 2 ? "" : n.in(0).equals(x) ? n.in(1) : n.in(0);
        }

        String constant(float[] value, long[] dims, String like) {
            Node c = new Node();
            c.opType = "Constant";
            String name = like + "_folded" + (fresh++);
            c.outputs.add(name);
            c.value = value;
            c.dims = dims;
            c.otherFields.add(field(4, "Constant"));
            ByteArrayOutputStream attr = new ByteArrayOutputStream();
            writeBytes(attr, 1, "value".getBytes(StandardCharsets.UTF_8));
            writeBytes(attr, 5, tensor(value, dims));
            writeVarint(attr, 20 << 3);
            writeVarint(attr, ATTRIBUTE_TENSOR);
            c.otherFields.add(withTag(5, attr.toByteArray()));
            nodes.add(0, c);
            constants.put(name, c);
            return name;
        }

        /** Rewrite 1: {@code Conv → Mul(a) [→ Add(b)]} into the convolution. */
        int foldConvAffines() {
            int n = 0;
            for (Node conv : List.copyOf(nodes)) {
                if (!conv.opType.equals("Conv") || conv.outputs.size() != 1 || !constants.containsKey(conv.in(1))
                        || (conv.inputs.size() > 2 && !constants.containsKey(conv.in(2)))) {
                    continue;
                }
                String y = conv.outputs.get(0);
                Node mul = only(y, "Mul");
                double a = mul == null ? Double.NaN : scalar(other(mul, y));
                if (!Double.isFinite(a)) {
                    continue;
                }
                Node last = mul;
                double b = 0;
                Node add = only(mul.outputs.get(0), "Add");
                if (add != null && Double.isFinite(scalar(other(add, mul.outputs.get(0))))) {
                    b = scalar(other(add, mul.outputs.get(0)));
                    last = add;
                }
                Node w = constants.get(conv.in(1));
                int cout = w.dims.length > 0 ? (int) w.dims[0] : 0;
                float[] bias = conv.inputs.size() > 2 ? constants.get(conv.in(2)).value : new float[cout];
                if (cout <= 0 || bias.length != cout) {
                    continue;
                }
                float[] w2 = w.value.clone();
                for (int i = 0; i < w2.length; i++) {
                    w2[i] = (float) (w2[i] * a);
                }
                float[] b2 = new float[cout];
                for (int i = 0; i < cout; i++) {
                    b2[i] = (float) (bias[i] * a + b);
                }
                String wName = constant(w2, w.dims, conv.in(1));
                String bName = constant(b2, new long[] {cout}, conv.in(1) + "_bias");
                while (conv.inputs.size() > 1) {
                    conv.inputs.remove(conv.inputs.size() - 1);
                }
                conv.inputs.add(wName);
                conv.inputs.add(bName);
                conv.outputs.set(0, last.outputs.get(0));
                nodes.remove(mul);
                nodes.remove(last);
                n++;
            }
            return n;
        }

        /** Rewrite 2: {@code y · clip(y + 3, 0, 6) / 6} as {@code y · HardSigmoid(y; 1/6, 1/2)}. */
        int hardSwishes() {
            int n = 0;
            for (Node add : List.copyOf(nodes)) {
                if (!add.opType.equals("Add") || add.inputs.size() != 2) {
                    continue;
                }
                String y = scalar(add.in(1)) == 3.0 ? add.in(0) : scalar(add.in(0)) == 3.0 ? add.in(1) : null;
                if (y == null) {
                    continue;
                }
                Node clip = only(add.outputs.get(0), "Clip");
                // Clip's bounds are inputs from opset 11, attributes before
                boolean zeroToSix = clip != null && (clip.inputs.size() == 3
                        ? scalar(clip.in(1)) == 0.0 && scalar(clip.in(2)) == 6.0
                        : clip.inputs.size() == 1 && floatAttribute(clip, "min") == 0.0 && floatAttribute(clip, "max") == 6.0);
                if (!zeroToSix) {
                    continue;
                }
                Node mul = only(clip.outputs.get(0), "Mul");
                if (mul == null || !mul.inputs.contains(y)) {
                    continue;
                }
                Node div = only(mul.outputs.get(0), "Div");
                if (div == null || !div.in(0).equals(mul.outputs.get(0)) || scalar(div.in(1)) != 6.0) {
                    continue;
                }
                String gate = add.outputs.get(0) + "_hardsigmoid";
                Node hs = new Node();
                hs.opType = "HardSigmoid";
                hs.inputs.add(y);
                hs.outputs.add(gate);
                hs.otherFields.add(field(4, "HardSigmoid"));
                hs.otherFields.add(floatAttribute("alpha", 1.0f / 6));
                hs.otherFields.add(floatAttribute("beta", 0.5f));
                Node times = new Node();
                times.opType = "Mul";
                times.inputs.add(y);
                times.inputs.add(gate);
                times.outputs.add(div.outputs.get(0));
                times.otherFields.add(field(4, "Mul"));
                int at = nodes.indexOf(add);
                nodes.removeAll(List.of(add, clip, mul, div));
                nodes.add(at, times);
                nodes.add(at, hs);
                n++;
            }
            return n;
        }

        /** Rewrite 3: {@code Mul(a) → Add(b) → Conv(W)…} as {@code Add(b/a) → Conv(a·W)…}. */
        int foldAffinesIntoConvs() {
            int n = 0;
            for (Node mul : List.copyOf(nodes)) {
                if (!mul.opType.equals("Mul") || mul.inputs.size() != 2 || mul.outputs.size() != 1) {
                    continue;
                }
                boolean firstIsScalar = Double.isFinite(scalar(mul.in(0)));
                boolean secondIsScalar = Double.isFinite(scalar(mul.in(1)));
                if (firstIsScalar == secondIsScalar) {
                    continue;
                }
                double a = scalar(firstIsScalar ? mul.in(0) : mul.in(1));
                String x = firstIsScalar ? mul.in(1) : mul.in(0);
                Node add = only(mul.outputs.get(0), "Add");
                double b = add == null ? Double.NaN : scalar(other(add, mul.outputs.get(0)));
                if (a == 0 || !Double.isFinite(b) || add.outputs.size() != 1 || graphOutputs.contains(add.outputs.get(0))) {
                    continue;
                }
                String z = add.outputs.get(0);
                List<Node> convs = consumers(z);
                boolean allConvs = !convs.isEmpty();
                for (Node c : convs) {
                    allConvs &= c.opType.equals("Conv") && c.in(0).equals(z) && !c.in(1).equals(z)
                            && constants.containsKey(c.in(1));
                }
                if (!allConvs) {
                    continue;
                }
                for (Node c : convs) {
                    Node w = constants.get(c.in(1));
                    float[] w2 = w.value.clone();
                    for (int i = 0; i < w2.length; i++) {
                        w2[i] = (float) (w2[i] * a);
                    }
                    c.inputs.set(1, constant(w2, w.dims, c.in(1)));
                }
                add.inputs.set(0, x);
                add.inputs.set(1, constant(new float[] {(float) (b / a)}, new long[] {1}, add.outputs.get(0) + "_shift"));
                nodes.remove(mul);
                n++;
            }
            return n;
        }

        void dropUnusedConstants() {
            Set<String> used = new HashSet<>(graphOutputs);
            for (Node n : nodes) {
                used.addAll(n.inputs);
            }
            nodes.removeIf(n -> n.opType.equals("Constant") && n.outputs.size() == 1 && !used.contains(n.outputs.get(0)));
        }
    }

    // ---- protobuf wire format (only what ONNX's NodeProto and TensorProto need) ----

    /** One encoded field: [start, end) with the tag, the value from valueStart (after a length prefix). */
    private record Field(int number, int wire, int start, int valueStart, int end) {
        byte[] raw(byte[] b) {
            return java.util.Arrays.copyOfRange(b, start, end);
        }

        byte[] value(byte[] b) {
            return java.util.Arrays.copyOfRange(b, valueStart, end);
        }

        String string(byte[] b) {
            return new String(b, valueStart, end - valueStart, StandardCharsets.UTF_8);
        }
    }

    private static List<Field> fields(byte[] b, int from, int to) {
        List<Field> out = new ArrayList<>();
        int[] pos = {from};
        while (pos[0] < to) {
            int start = pos[0];
            long tag = varint(b, pos, to);
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            int valueStart;
            switch (wire) {
                case 0 -> {
                    valueStart = pos[0];
                    varint(b, pos, to);
                }
                case 1 -> {
                    valueStart = pos[0];
                    pos[0] += 8;
                }
                case 5 -> {
                    valueStart = pos[0];
                    pos[0] += 4;
                }
                case 2 -> {
                    long len = varint(b, pos, to);
                    if (len < 0 || len > to - pos[0]) {
                        throw corrupt("a field runs past its message");
                    }
                    valueStart = pos[0];
                    pos[0] += (int) len;
                }
                default -> throw corrupt("wire type " + wire);
            }
            if (pos[0] > to || number <= 0) {
                throw corrupt("a field runs past its message");
            }
            out.add(new Field(number, wire, start, valueStart, pos[0]));
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos, int to) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= to) {
                throw corrupt("a varint runs past its message");
            }
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw corrupt("a varint longer than ten bytes");
    }

    private static AigcmarkException corrupt(String what) {
        return new AigcmarkException(Reason.CORRUPT_INPUT, "the ONNX model is not a valid protobuf: " + what);
    }

    private static Node node(byte[] g, Field nodeField) {
        Node n = new Node();
        for (Field f : fields(g, nodeField.valueStart, nodeField.end)) {
            if (f.number == 1 && f.wire == 2) {
                n.inputs.add(f.string(g));
            } else if (f.number == 2 && f.wire == 2) {
                n.outputs.add(f.string(g));
            } else {
                if (f.number == 4 && f.wire == 2) {
                    n.opType = f.string(g);
                }
                n.otherFields.add(f.raw(g));
            }
        }
        if (n.opType.equals("Constant")) {
            for (byte[] raw : n.otherFields) {
                constantValue(n, raw);
            }
        }
        return n;
    }

    /** Reads a Constant's "value" attribute when it is a float tensor held in raw_data or float_data. */
    private static void constantValue(Node n, byte[] raw) {
        List<Field> top = fields(raw, 0, raw.length);
        if (top.size() != 1 || top.get(0).number != 5 || top.get(0).wire != 2) {
            return;
        }
        String name = null;
        Field tensor = null;
        for (Field f : fields(raw, top.get(0).valueStart, top.get(0).end)) {
            if (f.number == 1 && f.wire == 2) {
                name = f.string(raw);
            } else if (f.number == 5 && f.wire == 2) {
                tensor = f;
            }
        }
        if (!"value".equals(name) || tensor == null) {
            return;
        }
        List<Long> dims = new ArrayList<>();
        int type = 0;
        float[] data = null;
        List<Float> floats = new ArrayList<>();
        for (Field f : fields(raw, tensor.valueStart, tensor.end)) {
            switch (f.number) {
                case 1 -> {
                    int[] p = {f.valueStart};
                    if (f.wire == 0) {
                        dims.add(varint(raw, p, f.end));
                    } else if (f.wire == 2) {
                        while (p[0] < f.end) {
                            dims.add(varint(raw, p, f.end));
                        }
                    }
                }
                case 2 -> type = f.wire == 0 ? (int) varint(raw, new int[] {f.valueStart}, f.end) : -1;
                case 4 -> {
                    ByteBuffer bb = ByteBuffer.wrap(raw, f.valueStart, f.end - f.valueStart).order(ByteOrder.LITTLE_ENDIAN);
                    while (bb.remaining() >= 4) {
                        floats.add(bb.getFloat());
                    }
                }
                case 9 -> {
                    if ((f.end - f.valueStart) % 4 != 0) {
                        return;
                    }
                    data = new float[(f.end - f.valueStart) / 4];
                    ByteBuffer.wrap(raw, f.valueStart, f.end - f.valueStart).order(ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer().get(data);
                }
                case 8 -> { }
                default -> {
                    return; // segments, external data, other storage: leave this constant alone
                }
            }
        }
        if (type != FLOAT) {
            return;
        }
        if (data == null) {
            data = new float[floats.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = floats.get(i);
            }
        }
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != data.length) {
            return;
        }
        n.value = data;
        n.dims = dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** A float attribute of a node, else NaN. */
    static double floatAttribute(Node n, String name) {
        for (byte[] raw : n.otherFields) {
            List<Field> top = fields(raw, 0, raw.length);
            if (top.size() != 1 || top.get(0).number != 5 || top.get(0).wire != 2) {
                continue;
            }
            String attr = null;
            double value = Double.NaN;
            for (Field f : fields(raw, top.get(0).valueStart, top.get(0).end)) {
                if (f.number == 1 && f.wire == 2) {
                    attr = f.string(raw);
                } else if (f.number == 2 && f.wire == 5) {
                    value = ByteBuffer.wrap(raw, f.valueStart, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                }
            }
            if (name.equals(attr)) {
                return value;
            }
        }
        return Double.NaN;
    }

    private static byte[] encode(Node n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : n.inputs) {
            writeBytes(out, 1, s.getBytes(StandardCharsets.UTF_8));
        }
        for (String s : n.outputs) {
            writeBytes(out, 2, s.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] f : n.otherFields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] tensor(float[] value, long[] dims) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        for (long d : dims) {
            writeVarint(t, 1 << 3);
            writeVarint(t, d);
        }
        writeVarint(t, 2 << 3);
        writeVarint(t, FLOAT);
        ByteBuffer data = ByteBuffer.allocate(4 * value.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(value);
        writeBytes(t, 9, data.array());
        return t.toByteArray();
    }

    private static byte[] floatAttribute(String name, float value) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        writeBytes(a, 1, name.getBytes(StandardCharsets.UTF_8));
        writeVarint(a, 2 << 3 | 5);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            a.write(bits >>> (8 * i));
        }
        writeVarint(a, 20 << 3);
        writeVarint(a, ATTRIBUTE_FLOAT);
        return withTag(5, a.toByteArray());
    }

    private static byte[] field(int number, String value) {
        return withTag(number, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withTag(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeBytes(out, number, value);
        return out.toByteArray();
    }

    private static void writeBytes(ByteArrayOutputStream out, int number, byte[] value) {
        writeVarint(out, (long) number << 3 | 2);
        writeVarint(out, value.length);
        out.writeBytes(value);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
