package dev.verity.devnet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a Verity program as its own process: the command line up to the program's arguments, e.g.
 * {@code java ... -cp CLASSPATH dev.verity.cli.VerityCli}, to which {@code validator ...} or {@code node run ...} is added.
 */
public record ProgramLauncher(List<String> command) {
    /** The environment variable that names the process whose end a started program follows (it exits too). */
    public static final String PARENT_PID_ENV = "VERITY_PARENT_PID";

    public ProgramLauncher {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a launcher needs a command");
        }
    }

    /** {@code mainClass} on this JVM's java and class path (under Maven Surefire, the test class path it records). */
    public static ProgramLauncher thisJvm(String mainClass, String... jvmOptions) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String tests = System.getProperty("surefire.test.class.path");
        String classPath = tests != null && !tests.isBlank() ? tests : System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", classPath, mainClass));
        return new ProgramLauncher(cmd);
    }

    /** The full command line for {@code args}. */
    public List<String> with(List<String> args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(args);
        return all;
    }
}
