package io.distillmesh.core.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

/**
 * oneDNN called directly through its JavaCPP presets, for the float convolutions and max pooling of the engine.
 * libnd4j's ops reach the same kernels but build every primitive afresh on each call, have no backward-weights-only
 * convolution and no pooling workspace; here each layer shape gets its primitives once per thread, kept in
 * {@link #plan}. Arrays stay NCHW at the passes' boundaries: where a kernel prefers a blocked layout, the plan
 * reorders into arrays made for the call (residual graphs of whole 16-channel blocks keep blocked maps instead, see
 * {@link #isBlocked}). Set by the system property {@value #PROPERTY} or the environment variable
 * {@value #VARIABLE}: {@code onednn} (the default) or {@code libnd4j} (libnd4j's ops, for comparison); double
 * precision always takes libnd4j's ops (oneDNN has no double convolutions).
 */
final class OneDnn {
    static final String PROPERTY = "dm.kernels";
    static final String VARIABLE = "DM_KERNELS";
    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static final ThreadLocal<OneDnn> PER_THREAD = ThreadLocal.withInitial(OneDnn::new);
    private static final boolean ENABLED = enabled();

    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    private final Map<Object, Object> plans = new HashMap<>();

    private OneDnn() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "creating the CPU engine");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "creating a stream");
    }

    /** Whether oneDNN serves arrays of this type here: float, on ND4J's CPU backend, unless set off. */
    static boolean serves(DataType type) {
        return ENABLED && type == DataType.FLOAT;
    }

    /** This thread's oneDNN engine and stream, with the plans built on it. */
    static OneDnn here() {
        return PER_THREAD.get();
    }

    /** The plan for {@code key} on this thread, built by {@code build} the first time. */
    @SuppressWarnings("unchecked")
    <T> T plan(Object key, Supplier<T> build) {
        return (T) plans.computeIfAbsent(key, k -> build.get());
    }

    private static boolean enabled() {
        String property = System.getProperty(PROPERTY);
        String value = property != null ? property : System.getenv(VARIABLE);
        String setting = value == null || value.isBlank() ? "onednn" : value.trim().toLowerCase(Locale.ROOT);
        if (!setting.equals("onednn") && !setting.equals("libnd4j")) {
            throw new IllegalArgumentException((property != null ? "system property " + PROPERTY
                    : "environment variable " + VARIABLE) + " must be onednn or libnd4j, got '" + value + "'");
        }
        if (setting.equals("libnd4j") || !Nd4j.getEnvironment().isCPU()) {
            return false;
        }
        try {
            here();
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("oneDNN could not be loaded ({}); convolutions and pooling use libnd4j's ops", e.toString());
            return false;
        }
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN failed " + what + " (status " + status + ")");
        }
    }

    /** A plain float memory descriptor of {@code dims} in layout {@code tag} (or {@code dnnl_format_tag_any}). */
    static dnnl_memory_desc_t descriptor(int tag, long... dims) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "describing an array");
        return md;
    }

    dnnl_primitive_desc primitiveDescriptor(Pointer operation, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(operation), null, engine, hint), what);
        return pd;
    }

    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    static dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "creating a primitive");
        return p;
    }

    /** A memory object over no buffer yet: {@link Call#bind} points it at an array for each call. */
    dnnl_memory memory(dnnl_memory_desc_t md) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, null), "creating a memory object");
        return m;
    }

    static long bytes(dnnl_memory_desc_t md) {
        return dnnl_memory_desc_get_size(md);
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    /** A reorder from {@code from}'s layout to {@code to}'s, or null where they are the same. */
    Call reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_memory source, dnnl_memory target) {
        if (same(from, to)) {
            return null;
        }
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "planning a reorder");
        return new Call(primitive(pd), DNNL_ARG_FROM, source, DNNL_ARG_TO, target);
    }

    /** One primitive with its arguments, run on this thread's stream. */
    final class Call {
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t arguments;
        private final int count;

        /** {@code kindsAndMemories}: argument kind (DNNL_ARG_...), memory object, kind, memory, … */
        Call(dnnl_primitive primitive, Object... kindsAndMemories) {
            this.primitive = primitive;
            this.count = kindsAndMemories.length / 2;
            this.arguments = new dnnl_exec_arg_t(count);
            for (int i = 0; i < count; i++) {
                arguments.position(i).arg((Integer) kindsAndMemories[2 * i])
                        .memory((dnnl_memory) kindsAndMemories[2 * i + 1]);
            }
            arguments.position(0);
        }

        void run() {
            check(dnnl_primitive_execute(primitive, stream, count, arguments), "running a primitive");
            check(dnnl_stream_wait(stream), "waiting for a primitive");
        }
    }

    /** Channels per block of the blocked layout (oneDNN's nChw16c) that graphs of such widths keep between layers. */
    static final int BLOCK = 16;

    /**
     * Whether {@code array} holds NCHW maps in oneDNN's blocked layout nChw16c: as an array of shape
     * [n, c/16, h, w, 16], channel k of a sample at block k/16, lane k%16.
     */
    static boolean isBlocked(INDArray array) {
        return array.rank() == 5 && array.size(4) == BLOCK;
    }

    /** The NCHW shape of maps held as {@code array}, blocked or not. */
    static long[] mapShape(INDArray array) {
        return isBlocked(array) ? new long[]{array.size(0), array.size(1) * BLOCK, array.size(2), array.size(3)}
                : array.shape();
    }

    /** The array shape of NCHW maps of shape {@code nchw} in the blocked layout. */
    static long[] blockedShape(long[] nchw) {
        if (nchw[1] % BLOCK != 0) {
            throw new IllegalArgumentException("the blocked layout needs a multiple of " + BLOCK + " channels, got "
                    + nchw[1]);
        }
        return new long[]{nchw[0], nchw[1] / BLOCK, nchw[2], nchw[3], BLOCK};
    }

    /** The layout tag of {@code array}'s maps: nChw16c where blocked, else nchw. */
    static int layoutOf(INDArray array) {
        return isBlocked(array) ? dnnl_nChw16c : dnnl_nchw;
    }

    /** A new NCHW copy of blocked maps (for callers outside the engine's passes). */
    static INDArray toNchw(INDArray blocked) {
        long[] shape = mapShape(blocked);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape);
        OneDnn dnn = here();
        List<Object> key = List.of("to nchw", Arrays.toString(shape));
        Conversion conversion = dnn.plan(key, () -> {
            dnnl_memory_desc_t from = descriptor(dnnl_nChw16c, shape);
            dnnl_memory_desc_t to = descriptor(dnnl_nchw, shape);
            dnnl_memory source = dnn.memory(from);
            dnnl_memory target = dnn.memory(to);
            return new Conversion(source, target, dnn.reorder(from, to, source, target));
        });
        bind(conversion.source(), blocked);
        bind(conversion.target(), out);
        conversion.reorder().run();
        return out;
    }

    private record Conversion(dnnl_memory source, dnnl_memory target, Call reorder) {
    }

    /** Whether {@code array} can be handed to oneDNN as it is: float, c order, dense. */
    static boolean isPlain(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            return false;
        }
        long expected = 1;
        for (int d = array.rank() - 1; d >= 0; d--) {
            if (array.size(d) != 1 && array.stride(d) != expected) {
                return false;
            }
            expected *= array.size(d);
        }
        return true;
    }

    /** Points {@code memory} at {@code array}'s values (float, c order, contiguous). */
    static void bind(dnnl_memory memory, INDArray array) {
        if (!isPlain(array)) {
            throw new IllegalArgumentException("oneDNN needs contiguous float arrays in c order, got "
                    + array.dataType() + " " + array.ordering() + " " + array.shapeInfoToString());
        }
        check(dnnl_memory_set_data_handle(memory, Address.of(array)), "binding an array");
    }

    /** Points {@code memory} at the bytes of {@code array} (a pooling workspace). */
    static void bindBytes(dnnl_memory memory, INDArray array) {
        if (array.dataType() != DataType.UBYTE || array.offset() != 0) {
            throw new IllegalArgumentException("a workspace must be a whole byte array");
        }
        check(dnnl_memory_set_data_handle(memory, Address.of(array)), "binding a workspace");
    }

    /** A raw address as a JavaCPP pointer, so that views into θ need no copy. */
    private static final class Address extends Pointer {
        static Address of(INDArray array) {
            Address a = new Address();
            a.address = array.data().address() + array.offset() * array.data().getElementSize();
            return a;
        }
    }
}
