package dev.verity.compute.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.Locale;

/**
 * Where ONNX Runtime runs a node's models: the CPU, or an NVIDIA GPU through ONNX Runtime's CUDA execution provider.
 * The integer engine always runs on the CPU (it must be bit-exact), whatever this says.
 */
public sealed interface Device {
    /** What an operator installs for {@code cuda}: said whenever the GPU cannot be used. */
    String GPU_NEEDS = "the GPU build of ONNX Runtime (Maven artifact com.microsoft.onnxruntime:onnxruntime_gpu, in place of "
            + "onnxruntime in lib/) and the CUDA and cuDNN libraries it was built against, on the library path";

    record Cpu() implements Device {
        @Override
        public void configure(OrtSession.SessionOptions options) {
            // ONNX Runtime's default execution provider
        }

        @Override
        public String describe() {
            return "cpu";
        }
    }

    record Cuda(int index) implements Device {
        public Cuda {
            if (index < 0) {
                throw new IllegalArgumentException("a CUDA device index is 0 or more, got " + index);
            }
        }

        @Override
        public void configure(OrtSession.SessionOptions options) throws OrtException {
            options.addCUDA(index);
        }

        @Override
        public String describe() {
            return "cuda:" + index;
        }
    }

    /** Adds this device's execution provider to a session's options. */
    void configure(OrtSession.SessionOptions options) throws OrtException;

    /** {@code cpu} or {@code cuda:N}. */
    String describe();

    /** The device chosen for a {@code --device} value, and why (for the log). */
    record Choice(Device device, String why) {}

    /** {@link #choose(String, EnumSet)} with the providers of the ONNX Runtime build on the class path. */
    static Choice choose(String spec) {
        return choose(spec, OrtEnvironment.getAvailableProviders());
    }

    /**
     * {@code auto}: CUDA device 0 when ONNX Runtime offers the CUDA provider, else the CPU; {@code cpu}; {@code cuda}
     * or {@code cuda:N}: that GPU, refused (with what to install) when this ONNX Runtime has no CUDA provider.
     */
    static Choice choose(String spec, EnumSet<OrtProvider> available) {
        String s = spec == null ? "auto" : spec.strip().toLowerCase(Locale.ROOT);
        boolean cuda = available.contains(OrtProvider.CUDA);
        if (s.equals("auto")) {
            return cuda ? new Choice(new Cuda(0), "ONNX Runtime offers the CUDA execution provider: using GPU 0")
                    : new Choice(new Cpu(), "this ONNX Runtime build has no CUDA execution provider, so the CPU runs the "
                            + "models; for a GPU install " + GPU_NEEDS);
        }
        if (s.equals("cpu")) {
            return new Choice(new Cpu(), "asked for the CPU");
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            int index;
            try {
                index = s.equals("cuda") ? 0 : Integer.parseInt(s.substring("cuda:".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--device cuda:N takes a GPU index, got '" + spec + "'");
            }
            if (!cuda) {
                throw new IllegalArgumentException("--device " + s + ": this ONNX Runtime build has no CUDA execution provider "
                        + "(it offers " + available + "); install " + GPU_NEEDS + ", or use --device cpu");
            }
            return new Choice(new Cuda(index), "asked for GPU " + index);
        }
        throw new IllegalArgumentException("--device is auto, cpu, cuda or cuda:N, got '" + spec + "'");
    }
}
