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

    /** A range of bytes (an encoded field or message), not copied. */
    private record Slice(byte[] bytes, int offset, int length) {
        static Slice of(byte[] b) {
            return new Slice(b, 0, b.length);
        }
    }

    /**
     * One node: its inputs and outputs parsed, every other field kept as encoded (tag included). A node the rewrites
     * did not touch is written back as its original bytes; a Constant's tensor is decoded only when a rewrite needs it.
     */
    static final class Node {
        final List<String> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        String opType = "";
        final List<Slice> otherFields = new ArrayList<>();
        /** The node as encoded in the graph (null for a new node); dropped when the node is changed. */
        Slice original;
        /** A Constant's float tensor: its dims and where its little-endian floats are (null otherwise). */
        long[] dims;
        private Slice data;
        private boolean packedFloats;
        private float[] value;

        String in(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }

        boolean isFloatConstant() {
            return dims != null;
        }

        long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        float[] value() {
            if (value == null) {
                value = new float[data.length() / 4];
                ByteBuffer.wrap(data.bytes(), data.offset(), data.length()).order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer().get(value);
            }
            return value;
        }

        void changed() {
            original = null;
        }
    }

    /** What {@link #fold} changed, for the log and the tests. */
    record Result(byte[] model, int nodesBefore, int nodesAfter, int convAffines, int hardSwishes, int affinesIntoConv) {}

    /** The folded model, or the same bytes when nothing matched. */
    static Result fold(byte[] model) {
        List<Field> modelFields = fields(model, 0, model.length);
        Field graphField = null;
        for (Field f : modelFields) {
            if (f.number == 7 && f.wire == 2) {
                graphField = f;
                break;
            }
        }
        if (graphField == null) {
            return new Result(model, 0, 0, 0, 0, 0);
        }
        List<Node> nodes = new ArrayList<>();
        List<Field> graphFields = fields(model, graphField.valueStart, graphField.end);
        Set<String> graphOutputs = new HashSet<>();
        for (Field f : graphFields) {
            if (f.number == 1 && f.wire == 2) {
                nodes.add(node(model, f));
            } else if (f.number == 12 && f.wire == 2) {
                for (Field v : fields(model, f.valueStart, f.end)) {
                    if (v.number == 1 && v.wire == 2) {
                        graphOutputs.add(v.string(model));
                    }
                }
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
        // the graph's fields in order, its nodes (the new list) where the first node was
        List<Slice> graphParts = new ArrayList<>();
        boolean nodesWritten = false;
        for (Field f : graphFields) {
            if (f.number == 1 && f.wire == 2) {
                if (!nodesWritten) {
                    for (Node n : g.nodes) {
                        Slice body = n.original != null ? n.original : Slice.of(encode(n));
                        graphParts.add(Slice.of(header(1, body.length())));
                        graphParts.add(body);
                    }
                    nodesWritten = true;
                }
            } else {
                graphParts.add(new Slice(model, f.start, f.end - f.start));
            }
        }
        long graphLength = 0;
        for (Slice part : graphParts) {
            graphLength += part.length();
        }
        byte[] graphHeader = header(7, graphLength);
        long total = model.length - (graphField.end - graphField.start) + graphHeader.length + graphLength;
        if (total > Integer.MAX_VALUE - 16) {
            throw corrupt("the folded model would exceed 2 GB");
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (Field f : modelFields) {
            if (f == graphField) {
                System.arraycopy(graphHeader, 0, out, at, graphHeader.length);
                at += graphHeader.length;
                for (Slice part : graphParts) {
                    System.arraycopy(part.bytes(), part.offset(), out, at, part.length());
                    at += part.length();
                }
            } else {
                System.arraycopy(model, f.start, out, at, f.end - f.start);
                at += f.end - f.start;
            }
        }
        return new Result(out, before, g.nodes.size(), convAffines, hardSwishes, affinesIntoConv);
    }

    /** The tag and length of a length-delimited field. */
    private static byte[] header(int number, long length) {
        ByteArrayOutputStream h = new ByteArrayOutputStream(12);
        writeVarint(h, (long) number << 3 | 2);
        writeVarint(h, length);
        return h.toByteArray();
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
                if (n.isFloatConstant() && n.outputs.size() == 1) {
                    constants.put(n.outputs.get(0), n);
                }
            }
        }

        /** Who reads each tensor; rebuilt after a rewrite changed the graph. */
        private Map<String, List<Node>> readers;

        List<Node> consumers(String name) {
            if (readers == null) {
                readers = new HashMap<>();
                for (Node n : nodes) {
                    for (String in : new HashSet<>(n.inputs)) {
                        readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                    }
                }
            }
            return readers.getOrDefault(name, List.of());
        }

        void changed() {
            readers = null;
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
            return c != null && c.size() == 1 ? c.value()[0] : Double.NaN;
        }

        /** The input of a two-input node other than {@code x} (the first when both are {@code x}). */
        static String other(Node n, String x) {
            return n.inputs.size() != 2 ? "" : n.in(0).equals(x) ? n.in(1) : n.in(0);
        }

        /** A new Constant node (encoded when the model is written) holding {@code value}; returns its name. */
        String constant(float[] value, long[] dims, String like) {
            Node c = new Node();
            c.opType = "Constant";
            String name = like + "_folded" + (fresh++);
            c.outputs.add(name);
            c.value = value;
            c.dims = dims;
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
                float[] bias = conv.inputs.size() > 2 ? constants.get(conv.in(2)).value() : new float[cout];
                if (cout <= 0 || bias.length != cout) {
                    continue;
                }
                float[] w2 = w.value().clone();
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
                conv.changed();
                nodes.remove(mul);
                nodes.remove(last);
                changed();
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
                hs.otherFields.add(Slice.of(field(4, "HardSigmoid")));
                hs.otherFields.add(Slice.of(floatAttribute("alpha", 1.0f / 6)));
                hs.otherFields.add(Slice.of(floatAttribute("beta", 0.5f)));
                Node times = new Node();
                times.opType = "Mul";
                times.inputs.add(y);
                times.inputs.add(gate);
                times.outputs.add(div.outputs.get(0));
                times.otherFields.add(Slice.of(field(4, "Mul")));
                int at = nodes.indexOf(add);
                nodes.removeAll(List.of(add, clip, mul, div));
                nodes.add(at, times);
                nodes.add(at, hs);
                changed();
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
                    float[] w2 = w.value().clone();
                    for (int i = 0; i < w2.length; i++) {
                        w2[i] = (float) (w2[i] * a);
                    }
                    c.inputs.set(1, constant(w2, w.dims, c.in(1)));
                    c.changed();
                }
                add.inputs.set(0, x);
                add.inputs.set(1, constant(new float[] {(float) (b / a)}, new long[] {1}, add.outputs.get(0) + "_shift"));
                add.changed();
                nodes.remove(mul);
                changed();
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
        n.original = new Slice(g, nodeField.valueStart, nodeField.end - nodeField.valueStart);
        for (Field f : fields(g, nodeField.valueStart, nodeField.end)) {
            if (f.number == 1 && f.wire == 2) {
                n.inputs.add(f.string(g));
            } else if (f.number == 2 && f.wire == 2) {
                n.outputs.add(f.string(g));
            } else {
                if (f.number == 4 && f.wire == 2) {
                    n.opType = f.string(g);
                }
                n.otherFields.add(new Slice(g, f.start, f.end - f.start));
            }
        }
        if (n.opType.equals("Constant")) {
            for (Slice raw : n.otherFields) {
                constantValue(n, raw);
            }
        }
        return n;
    }

    /** The fields of one attribute ({@code raw} a whole NodeProto field), or null when it is not an attribute. */
    private static List<Field> attribute(Slice raw) {
        List<Field> top = fields(raw.bytes(), raw.offset(), raw.offset() + raw.length());
        if (top.size() != 1 || top.get(0).number != 5 || top.get(0).wire != 2) {
            return null;
        }
        return fields(raw.bytes(), top.get(0).valueStart, top.get(0).end);
    }

    /**
     * Notes where a Constant's "value" attribute keeps its floats when it is a float tensor in raw_data or float_data
     * (decoded when a rewrite asks for them).
     */
    private static void constantValue(Node n, Slice raw) {
        List<Field> attr = attribute(raw);
        if (attr == null) {
            return;
        }
        byte[] b = raw.bytes();
        String name = null;
        Field tensor = null;
        for (Field f : attr) {
            if (f.number == 1 && f.wire == 2) {
                name = f.string(b);
            } else if (f.number == 5 && f.wire == 2) {
                tensor = f;
            }
        }
        if (!"value".equals(name) || tensor == null) {
            return;
        }
        List<Long> dims = new ArrayList<>();
        int type = 0;
        Field data = null;
        for (Field f : fields(b, tensor.valueStart, tensor.end)) {
            switch (f.number) {
                case 1 -> {
                    int[] p = {f.valueStart};
                    if (f.wire == 0) {
                        dims.add(varint(b, p, f.end));
                    } else if (f.wire == 2) {
                        while (p[0] < f.end) {
                            dims.add(varint(b, p, f.end));
                        }
                    }
                }
                case 2 -> type = f.wire == 0 ? (int) varint(b, new int[] {f.valueStart}, f.end) : -1;
                case 4, 9 -> {
                    // float_data packed (wire type 2) or raw_data: both little-endian floats
                    if (f.wire != 2 || data != null) {
                        return;
                    }
                    data = f;
                }
                case 8 -> { }
                default -> {
                    return; // segments, external data, other storage: leave this constant alone
                }
            }
        }
        if (type != FLOAT || data == null || (data.end - data.valueStart) % 4 != 0) {
            return;
        }
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                return;
            }
            count *= d;
        }
        if (count != (data.end - data.valueStart) / 4) {
            return;
        }
        n.dims = dims.stream().mapToLong(Long::longValue).toArray();
        n.data = new Slice(b, data.valueStart, data.end - data.valueStart);
    }

    /** A float attribute of a node, else NaN. */
    static double floatAttribute(Node n, String name) {
        for (Slice raw : n.otherFields) {
            List<Field> attr = attribute(raw);
            if (attr == null) {
                continue;
            }
            String found = null;
            double value = Double.NaN;
            for (Field f : attr) {
                if (f.number == 1 && f.wire == 2) {
                    found = f.string(raw.bytes());
                } else if (f.number == 2 && f.wire == 5) {
                    value = ByteBuffer.wrap(raw.bytes(), f.valueStart, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
                }
            }
            if (name.equals(found)) {
                return value;
            }
        }
        return Double.NaN;
    }

    private static byte[] encode(Node n) {
        if (n.original == null && n.opType.equals("Constant") && n.otherFields.isEmpty()) {
            return encodeConstant(n);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : n.inputs) {
            writeBytes(out, 1, s.getBytes(StandardCharsets.UTF_8));
        }
        for (String s : n.outputs) {
            writeBytes(out, 2, s.getBytes(StandardCharsets.UTF_8));
        }
        for (Slice f : n.otherFields) {
            out.write(f.bytes(), f.offset(), f.length());
        }
        return out.toByteArray();
    }

    /** A new Constant node: its output, op_type and the "value" attribute holding its float tensor in raw_data. */
    private static byte[] encodeConstant(Node n) {
        float[] value = n.value();
        byte[] tensor = tensor(value, n.dims);
        ByteArrayOutputStream attr = new ByteArrayOutputStream(tensor.length + 32);
        writeBytes(attr, 1, "value".getBytes(StandardCharsets.UTF_8));
        writeBytes(attr, 5, tensor);
        writeVarint(attr, 20 << 3);
        writeVarint(attr, ATTRIBUTE_TENSOR);
        ByteArrayOutputStream out = new ByteArrayOutputStream(attr.size() + 128);
        writeBytes(out, 2, n.outputs.get(0).getBytes(StandardCharsets.UTF_8));
        writeBytes(out, 4, "Constant".getBytes(StandardCharsets.UTF_8));
        writeBytes(out, 5, attr.toByteArray());
        return out.toByteArray();
    }

    private static byte[] tensor(float[] value, long[] dims) {
        ByteArrayOutputStream t = new ByteArrayOutputStream(4 * value.length + 64);
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
