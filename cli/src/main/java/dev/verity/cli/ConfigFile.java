package dev.verity.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's settings file: one {@code key = value} a line, {@code #} starts a comment line, blank lines are
 * ignored. The value is the rest of the line after {@code =}, without the spaces around it (no quotes, no escapes,
 * no continuation lines). A key given twice, a line without {@code =}, an empty key or value is refused with the
 * file and line. Which keys exist is the command's business ({@link ConfigFileDefaults}).
 */
record ConfigFile(Path path, Map<String, Entry> entries) {
    /** One {@code key = value} line. */
    record Entry(String key, String value, int line) {}

    /** The file cannot be read or is not in this format; the message names the file and line. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    ConfigFile {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    static ConfigFile read(Path path) {
        List<String> lines;
        try {
            if (Files.isDirectory(path)) {
                throw new Invalid("the config file " + path + " is a directory");
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Invalid("cannot read the config file " + path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Invalid("cannot read the config file " + path + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new Invalid("the config file " + path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new Invalid("cannot read the config file " + path + ": " + Errors.message(e));
        }
        return parse(path, lines);
    }

    static ConfigFile parse(Path path, List<String> lines) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i).strip();
            if (n == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new Invalid(where(path, n) + "'" + shorten(line) + "' is not KEY = VALUE");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty()) {
                throw new Invalid(where(path, n) + "no key before '='");
            }
            if (value.isEmpty()) {
                throw new Invalid(where(path, n) + "'" + key + "' has no value (leave the line out for the default)");
            }
            Entry first = entries.putIfAbsent(key, new Entry(key, value, n));
            if (first != null) {
                throw new Invalid(where(path, n) + "'" + key + "' is set again (first on line " + first.line() + ")");
            }
        }
        return new ConfigFile(path, entries);
    }

    /** "FILE, line N: ", the start of every message about a line. */
    static String where(Path path, int line) {
        return "config file " + path + ", line " + line + ": ";
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
