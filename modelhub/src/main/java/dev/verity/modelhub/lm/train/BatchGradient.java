package dev.verity.modelhub.lm.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The loss and gradient of a batch of sequences, computed in parallel yet reproducibly: the batch is cut into a fixed
 * number of chunks of consecutive sequences; each chunk has its own activations and gradient buffer and runs its
 * sequences in order; the chunk gradients are then summed in chunk order. Which thread runs which chunk changes nothing,
 * so the result depends on the chunk count but not on the thread count.
 */
final class BatchGradient implements AutoCloseable {
    private final ParameterLayout layout;
    private final DecoderBackpropagation[] workers;
    private final float[][] gradients;
    private final double[] nats;
    private final ExecutorService executor;

    BatchGradient(ParameterLayout layout, int chunks, int threads) {
        if (chunks < 1 || threads < 1) {
            throw new IllegalArgumentException("chunks and threads must be positive; got " + chunks + " and " + threads);
        }
        this.layout = layout;
        this.workers = new DecoderBackpropagation[chunks];
        this.gradients = new float[chunks][];
        this.nats = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            workers[c] = new DecoderBackpropagation(layout);
            gradients[c] = new float[layout.size()];
        }
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "decoder-training");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Summed nats of the sequences {@code tokens[starts[i] .. starts[i] + length]}; when {@code gradient} is not null it
     * receives the gradient of the mean loss (overwritten).
     */
    double run(WeightSnapshot weights, int[] tokens, int[] starts, int length, float[] gradient) {
        int chunks = workers.length;
        float scale = 1f / ((long) starts.length * length);
        List<Runnable> tasks = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int chunk = c;
            int from = (int) ((long) starts.length * c / chunks);
            int to = (int) ((long) starts.length * (c + 1) / chunks);
            tasks.add(() -> {
                float[] g = gradient == null ? null : gradients[chunk];
                if (g != null) {
                    Arrays.fill(g, 0f);
                }
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += workers[chunk].run(weights, tokens, starts[i], length, g, scale);
                }
                nats[chunk] = sum;
            });
        }
        runAll(tasks);
        double total = 0;
        for (int c = 0; c < chunks; c++) {
            total += nats[c];
        }
        if (gradient != null) {
            System.arraycopy(gradients[0], 0, gradient, 0, layout.size());
            for (int c = 1; c < chunks; c++) {
                float[] g = gradients[c];
                for (int i = 0; i < g.length; i++) {
                    gradient[i] += g[i];
                }
            }
        }
        return total;
    }

    private void runAll(List<Runnable> tasks) {
        if (executor == null) {
            tasks.forEach(Runnable::run);
            return;
        }
        List<Future<?>> futures = tasks.stream().<Future<?>>map(executor::submit).toList();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing a batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
