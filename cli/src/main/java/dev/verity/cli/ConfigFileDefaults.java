package dev.verity.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A command's default values from the {@link ConfigFile} its {@code --config FILE} option names (picocli's
 * {@code IDefaultValueProvider}): a key is an option's long name without the dashes ({@code api}, {@code key},
 * {@code capacity}...), its value what the option takes on the command line; an option given on the command line
 * wins. picocli asks for defaults once it has matched the command line, so {@code --config} is known by then.
 *
 * <p>A key that is no option of the command, a value that is not of the option's type (a number, a path, what the
 * option's converter takes), or a file that cannot be read is a usage error (exit code 2) naming the file, the line and
 * the key. A relative path in the file is taken from the file's folder. Boolean flags are set from the file after
 * parsing ({@link #applyFlags}), since picocli negates a flag whose default is true. Hidden options are no keys. An
 * option that splits at commas takes a list ({@code mode = NONE, OPTIMISTIC}); one that is repeated on the command
 * line instead ({@code --model}) takes one value from the file, a default being one string.
 */
final class ConfigFileDefaults implements CommandLine.IDefaultValueProvider {
    static final String OPTION = "--config";
    /** Options that have no place in a config file. */
    private static final Set<String> NOT_KEYS = Set.of("config", "help", "version", "json", "verbose");

    private Path loadedFrom;
    private ConfigFile file;

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || isFlag(o)) {
            return null;
        }
        ConfigFile f = load(o.command());
        ConfigFile.Entry e = f == null ? null : f.entries().get(key(o));
        return e == null ? null : checked(o, f, e);
    }

    /** The file {@code --config} names, read and its keys checked (once); null when none is named. */
    synchronized ConfigFile load(CommandSpec command) {
        OptionSpec option = command.findOption(OPTION);
        Path path = option == null ? null : option.getValue();
        if (path == null) {
            return null;
        }
        if (!path.equals(loadedFrom)) {
            ConfigFile read;
            try {
                read = ConfigFile.read(path);
            } catch (ConfigFile.Invalid e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
            checkKeys(command, read);
            file = read;
            loadedFrom = path;
        }
        return file;
    }

    /** Sets each boolean flag that the file names and the command line does not. */
    void applyFlags(CommandSpec command) {
        ConfigFile f = load(command);
        if (f == null) {
            return;
        }
        CommandLine.ParseResult parsed = command.commandLine().getParseResult();
        for (OptionSpec o : command.options()) {
            ConfigFile.Entry e = f.entries().get(key(o));
            if (e == null || !isFlag(o) || (parsed != null && parsed.hasMatchedOption(o))) {
                continue;
            }
            String v = e.value().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw bad(o, f, e, "it is true or false");
            }
            o.setValue(Boolean.parseBoolean(v));
        }
    }

    private static void checkKeys(CommandSpec command, ConfigFile f) {
        Set<String> keys = keys(command);
        for (ConfigFile.Entry e : f.entries().values()) {
            if (keys.contains(e.key())) {
                continue;
            }
            String bare = e.key().replaceFirst("^-+", "");
            String hint = !bare.equals(e.key()) && keys.contains(bare) ? " (write it without the dashes: '" + bare + "')"
                    : NOT_KEYS.contains(bare) ? " (give --" + bare + " on the command line)"
                    : closest(e.key(), keys).map(k -> " (did you mean '" + k + "'?)").orElse("");
            throw new ParameterException(command.commandLine(), ConfigFile.where(f.path(), e.line()) + "unknown key '" + e.key()
                    + "'" + hint + "; the keys are the long options of '" + command.qualifiedName() + "' without their dashes: "
                    + String.join(", ", keys));
        }
    }

    /** The keys a file may hold for {@code command}, sorted. */
    static Set<String> keys(CommandSpec command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            String k = key(o);
            if (o.longestName().startsWith("--") && !o.hidden() && !NOT_KEYS.contains(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    private static boolean isFlag(OptionSpec o) {
        return o.arity().max() == 0 && (o.type() == boolean.class || o.type() == Boolean.class);
    }

    /**
     * The value as the option takes it, each of its comma-separated parts (for an option that splits at commas) checked
     * against the option's type; a relative path resolved from the file.
     */
    private static String checked(OptionSpec o, ConfigFile f, ConfigFile.Entry e) {
        if (!o.splitRegex().equals(",")) {
            return checkedPart(o, f, e, e.value());
        }
        return Arrays.stream(e.value().split(",", -1)).map(part -> checkedPart(o, f, e, part.strip()))
                .collect(Collectors.joining(","));
    }

    private static String checkedPart(OptionSpec o, ConfigFile f, ConfigFile.Entry e, String value) {
        Class<?> type = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : o.type();
        try {
            if (o.converters() != null && o.converters().length > 0) {
                o.converters()[0].convert(value);
            } else if (type == int.class || type == Integer.class) {
                Integer.parseInt(value);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value);
            } else if (type.isEnum()) {
                String names = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                        .collect(Collectors.joining(", "));
                if (!Arrays.asList(names.split(", ")).contains(value)) {
                    throw bad(o, f, e, "it is one of " + names);
                }
            } else if (type == Path.class) {
                Path p = Path.of(value);
                if (!p.isAbsolute()) {
                    Path folder = f.path().toAbsolutePath().getParent();
                    return (folder == null ? p : folder.resolve(p)).normalize().toString();
                }
            }
        } catch (ParameterException ex) {
            throw ex;
        } catch (NumberFormatException ex) {
            throw bad(o, f, e, "it is a whole number");
        } catch (InvalidPathException ex) {
            throw bad(o, f, e, "it is a file or folder name (" + ex.getReason() + ")");
        } catch (Exception ex) {
            throw bad(o, f, e, Errors.message(ex));
        }
        return value;
    }

    private static ParameterException bad(OptionSpec o, ConfigFile f, ConfigFile.Entry e, String why) {
        return new ParameterException(o.command().commandLine(), ConfigFile.where(f.path(), e.line()) + "bad value '" + e.value()
                + "' for '" + e.key() + "': " + why + " (as " + o.longestName() + " " + o.paramLabel() + " takes)");
    }

    /** The key nearest to {@code typed} by edit distance, when it is a likely typo (two edits at most). */
    private static java.util.Optional<String> closest(String typed, Set<String> keys) {
        String best = null;
        int bestDistance = 3;
        for (String k : keys) {
            int d = distance(typed.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
