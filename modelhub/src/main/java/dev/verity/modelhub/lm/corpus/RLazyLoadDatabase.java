package dev.verity.modelhub.lm.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An R lazy-load database, the pair of files R installs a package's data sets as: {@code NAME.rdx}, a serialized
 * index (gzip-compressed), and {@code NAME.rdb}, the objects one after another. The index is a list of
 * {@code variables} (for each object name, its byte offset and length in the {@code .rdb}), {@code references}
 * (environments the objects share) and {@code compressed} (how each entry is compressed). Only zlib entries
 * ({@code compressed = TRUE}, R's default) are read; bzip2 and xz are refused by name.
 */
public final class RLazyLoadDatabase {
    private final Path dataFile;
    private final byte[] data;
    private final RValue.GenericVector variables;

    private RLazyLoadDatabase(Path dataFile, byte[] data, RValue.GenericVector variables) {
        this.dataFile = dataFile;
        this.data = data;
        this.variables = variables;
    }

    /** Opens {@code base.rdx} and {@code base.rdb}, where {@code base} is the path without the extension. */
    public static RLazyLoadDatabase open(Path base) {
        Path index = base.resolveSibling(base.getFileName() + ".rdx");
        Path dataFile = base.resolveSibling(base.getFileName() + ".rdb");
        try {
            RValue root = RSerializationReader.read(Files.readAllBytes(index));
            if (!(root instanceof RValue.GenericVector list)) {
                throw new CorpusFormatException(index + " holds a " + root.getClass().getSimpleName()
                        + ", not the list of a lazy-load index");
            }
            checkZlib(list.get("compressed"), index);
            if (!(list.get("variables") instanceof RValue.GenericVector variables)) {
                throw new CorpusFormatException(index + ": 'variables' is not a list");
            }
            return new RLazyLoadDatabase(dataFile, Files.readAllBytes(dataFile), variables);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the R lazy-load database " + base + ": " + e.getMessage(), e);
        } catch (CorpusFormatException e) {
            throw new CorpusFormatException(index + ": " + e.getMessage(), e);
        }
    }

    private static void checkZlib(RValue compressed, Path index) {
        int kind = switch (compressed) {
            case RValue.Logicals l when l.values().length == 1 -> l.values()[0];
            case RValue.Integers i when i.values().length == 1 -> i.values()[0];
            default -> throw new CorpusFormatException("'compressed' is " + compressed + ", expected one logical or integer");
        };
        switch (kind) {
            case 1 -> { }
            case 2 -> throw new CorpusFormatException("entries are bzip2-compressed; only zlib is supported");
            case 3 -> throw new CorpusFormatException("entries are xz-compressed; only zlib is supported");
            default -> throw new CorpusFormatException("entries are " + (kind == 0 ? "uncompressed" : "compressed with kind " + kind)
                    + "; only zlib (TRUE) is supported");
        }
    }

    /** The object names, in the order of the index. */
    public List<String> names() {
        return variables.names();
    }

    /** Reads the object called {@code name}. */
    public RValue get(String name) {
        if (!(variables.get(name) instanceof RValue.Integers position) || position.values().length != 2) {
            throw new CorpusFormatException("index entry of '" + name + "' is not an (offset, length) pair");
        }
        int offset = position.values()[0];
        int length = position.values()[1];
        if (offset < 0 || length < 0 || (long) offset + length > data.length) {
            throw new CorpusFormatException(dataFile + ": '" + name + "' spans [" + offset + ", " + ((long) offset + length)
                    + "), beyond the " + data.length + "-byte file");
        }
        try {
            return RSerializationReader.readZlibEntry(Arrays.copyOfRange(data, offset, offset + length));
        } catch (CorpusFormatException e) {
            throw new CorpusFormatException(dataFile + ", object '" + name + "': " + e.getMessage(), e);
        }
    }
}
