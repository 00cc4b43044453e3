package dev.verity.modelhub.hub;

import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.train.Dataset;
import dev.verity.modelhub.train.Digits;
import dev.verity.modelhub.train.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads example inputs for a model's single input. Two sources:
 * <ul>
 *   <li>a CSV file, one example per line: the input's values in row-major order, optionally followed
 *       by an integer class label (a line with one value more than the input holds);</li>
 *   <li>the bundled digits data set by name: {@code digits:train} or {@code digits:test} (the fixed
 *       split the shipped digits models were trained on), shaped to the model's input;</li>
 *   <li>Fashion-MNIST (Debian's {@code dataset-fashion-mnist}): {@code fashion:train} or {@code fashion:test}.</li>
 * </ul>
 */
public final class ExampleFiles {
    private ExampleFiles() {}

    public static Examples read(String source, Graph graph) {
        ValueInfo input = singleInput(graph);
        int[] shape = exampleShape(input);
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (source.startsWith("digits:")) {
            return digits(source.substring("digits:".length()), input.name(), shape, size);
        }
        if (source.startsWith("fashion:")) {
            return fashion(source.substring("fashion:".length()), input.name(), shape, size);
        }
        return csv(Path.of(source), input.name(), shape, size);
    }

    static ValueInfo singleInput(Graph graph) {
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException("example files feed models with one input; this one has " + graph.inputs().size());
        }
        return graph.inputs().get(0);
    }

    /** The input's shape for one example: a dynamic or missing batch dimension becomes 1. */
    public static int[] exampleShape(ValueInfo input) {
        int[] shape = new int[input.dims().size()];
        for (int i = 0; i < shape.length; i++) {
            long d = input.dims().get(i);
            if (d < 0) {
                if (i != 0) {
                    throw new IllegalArgumentException("input '" + input.name() + "' has a dynamic dimension " + i
                            + "; only the batch dimension may be dynamic");
                }
                d = 1;
            }
            shape[i] = Math.toIntExact(d);
        }
        return shape;
    }

    private static Examples digits(String split, String name, int[] shape, int size) {
        if (size != 64) {
            throw new IllegalArgumentException("the digits data set has 64 values per example; the model's input holds " + size);
        }
        Dataset part = switch (split) {
            case "train" -> Digits.split().train();
            case "test" -> Digits.split().test();
            default -> throw new IllegalArgumentException("unknown digits split '" + split + "' (use digits:train or digits:test)");
        };
        return of(part, name, shape);
    }

    private static Examples fashion(String split, String name, int[] shape, int size) {
        if (size != 784) {
            throw new IllegalArgumentException("Fashion-MNIST has 784 values per example; the model's input holds " + size);
        }
        Dataset part = switch (split) {
            case "train" -> FashionMnist.load().train();
            case "test" -> FashionMnist.load().test();
            default -> throw new IllegalArgumentException("unknown Fashion-MNIST split '" + split + "' (use fashion:train or fashion:test)");
        };
        return of(part, name, shape);
    }

    private static Examples of(Dataset part, String name, int[] shape) {
        List<Map<String, FloatTensor>> inputs = new ArrayList<>(part.size());
        for (int i = 0; i < part.size(); i++) {
            inputs.add(Map.of(name, new FloatTensor(shape, part.inputs()[i])));
        }
        return new Examples(inputs, part.labels());
    }

    private static Examples csv(Path file, String name, int[] shape, int size) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read examples from " + file + ": " + e.getMessage(), e);
        }
        List<Map<String, FloatTensor>> inputs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",");
            if (cells.length != size && cells.length != size + 1) {
                throw new IllegalArgumentException(file + " line " + lineNo + " has " + cells.length + " values; the model's input '"
                        + name + "' needs " + size + " (or " + (size + 1) + " with a label)");
            }
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = parse(cells[i], file, lineNo);
            }
            inputs.add(Map.of(name, new FloatTensor(shape, values)));
            if (cells.length == size + 1) {
                labels.add(Integer.parseInt(cells[size].strip()));
            }
        }
        if (!labels.isEmpty() && labels.size() != inputs.size()) {
            throw new IllegalArgumentException(file + ": either every line has a label or none does");
        }
        return new Examples(inputs, labels.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static float parse(String cell, Path file, int line) {
        try {
            float v = Float.parseFloat(cell.strip());
            if (!Float.isFinite(v)) {
                throw new NumberFormatException("not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + line + ": '" + cell.strip() + "' is not a finite number");
        }
    }
}
