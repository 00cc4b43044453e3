package dev.verity.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;

/**
 * Bytecode scanner that enforces the purity rule of the deterministic core: code in the pure packages
 * may not do IO, read clocks, use threads, draw randomness, use floating point, iterate in hash order,
 * format text by the default locale or read the environment.
 *
 * <p>It reads every {@code .class} file under the given roots (directories or jars) whose class lies in
 * one of the given packages (or their sub-packages) and reports each violation as
 * {@code "Class.member: reason"}, where member is a method or field name, or {@code <class>} for the
 * class header (super type, interfaces, generic signature).
 */
public final class PurityScanner {

    /** The bootstrap methods javac emits for records, string concatenation, lambdas and pattern switches. */
    private static final Set<String> ALLOWED_BOOTSTRAP_OWNERS = Set.of(
            "java/lang/runtime/ObjectMethods",
            "java/lang/invoke/StringConcatFactory",
            "java/lang/invoke/LambdaMetafactory",
            "java/lang/runtime/SwitchBootstraps");

    private final List<Path> roots;
    private final List<String> packagePrefixes;

    /**
     * @param roots class-file roots: directories (like {@code target/classes}) or jar files; missing ones are skipped
     * @param packages package names such as {@code dev.verity.core}; sub-packages are included
     */
    public PurityScanner(List<Path> roots, List<String> packages) {
        this.roots = List.copyOf(roots);
        List<String> prefixes = new ArrayList<>();
        for (String p : packages) {
            prefixes.add(p.replace('.', '/') + "/");
        }
        this.packagePrefixes = List.copyOf(prefixes);
    }

    /** The outcome of a scan: the classes read and the violations found, both sorted. */
    public record Result(List<String> scannedClasses, List<String> violations) {
        public boolean clean() {
            return violations.isEmpty();
        }

        /** Violations of one class (binary name, e.g. {@code dev.verity.core.Hash}), including its nested classes. */
        public List<String> violationsOf(String className) {
            return violations.stream()
                    .filter(v -> v.startsWith(className + ".") || v.startsWith(className + "$"))
                    .toList();
        }

        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(violations.size()).append(" purity violation(s) in ")
                    .append(scannedClasses.size()).append(" scanned class(es):\n");
            for (String v : violations) {
                sb.append("  ").append(v).append('\n');
            }
            return sb.toString();
        }
    }

    public Result scan() {
        Map<String, byte[]> classes = new TreeMap<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                readDirectory(root, classes);
            } else if (Files.isRegularFile(root)) {
                readJar(root, classes);
            }
        }
        Set<String> violations = new TreeSet<>();
        List<String> scanned = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            scanned.add(e.getKey().replace('/', '.'));
            new ClassReader(e.getValue()).accept(new ClassChecker(violations), 0);
        }
        return new Result(List.copyOf(scanned), List.copyOf(violations));
    }

    private boolean inScope(String internalName) {
        if (internalName.equals("module-info")) {
            return false;
        }
        for (String prefix : packagePrefixes) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void readDirectory(Path root, Map<String, byte[]> out) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String rel = root.relativize(file).toString().replace('\\', '/');
                String name = rel.substring(0, rel.length() - ".class".length());
                if (inScope(name)) {
                    out.putIfAbsent(name, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classes under " + root, e);
        }
    }

    private void readJar(Path jar, Map<String, byte[]> out) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String rel = entry.getName();
                if (entry.isDirectory() || !rel.endsWith(".class") || rel.startsWith("META-INF/")) {
                    continue;
                }
                String name = rel.substring(0, rel.length() - ".class".length());
                if (inScope(name)) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        out.putIfAbsent(name, in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classes in " + jar, e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The rules

    /** Why a reference to this type (internal name, e.g. {@code java/util/HashMap}) is forbidden, or null. */
    static String forbiddenType(String t) {
        if (t.startsWith("java/io/")) {
            return t.equals("java/io/Serializable") || t.equals("java/io/Serial") ? null : "IO: " + dotted(t);
        }
        if (t.startsWith("java/nio/file/") || t.startsWith("java/nio/channels/")
                || t.startsWith("java/net/") || t.startsWith("java/sql/") || t.startsWith("javax/net/")) {
            return "IO/network: " + dotted(t);
        }
        switch (t) {
            case "java/time/Clock", "java/time/InstantSource", "java/util/Date", "java/util/Calendar",
                    "java/util/GregorianCalendar", "java/util/TimeZone", "java/util/SimpleTimeZone" -> {
                return "clock: " + dotted(t);
            }
            case "java/lang/Thread", "java/lang/ThreadLocal", "java/lang/InheritableThreadLocal",
                    "java/lang/ThreadGroup", "java/util/Timer", "java/util/TimerTask" -> {
                return "threads: " + dotted(t);
            }
            case "java/util/Random", "java/security/SecureRandom", "java/util/SplittableRandom" -> {
                return "randomness: " + dotted(t);
            }
            case "java/lang/Float", "java/lang/Double", "java/math/BigDecimal" -> {
                return "floating point: " + dotted(t);
            }
            case "java/util/HashMap", "java/util/HashSet", "java/util/Hashtable", "java/util/IdentityHashMap",
                    "java/util/WeakHashMap" -> {
                return "hash-order iteration: " + dotted(t);
            }
            case "java/lang/Runtime", "java/lang/ProcessBuilder", "java/lang/Process", "java/lang/ProcessHandle" -> {
                return "environment: " + dotted(t);
            }
            default -> {
                // fall through to the prefix rules below
            }
        }
        if (t.startsWith("java/lang/Thread$")) {
            return "threads: " + dotted(t);
        }
        if (t.startsWith("java/util/concurrent/")) {
            return "threads: " + dotted(t);
        }
        if (t.startsWith("java/util/random/")) {
            return "randomness: " + dotted(t);
        }
        if (t.startsWith("java/lang/Runtime$")) {
            return "environment: " + dotted(t);
        }
        return null;
    }

    /** Why calling this method is forbidden (beyond the types it mentions), or null. */
    static String forbiddenCall(String owner, String name, String desc) {
        if (name.equals("now")) {
            return "clock: " + dotted(owner) + ".now()";
        }
        switch (owner) {
            case "java/lang/System" -> {
                switch (name) {
                    case "currentTimeMillis", "nanoTime" -> {
                        return "clock: System." + name;
                    }
                    case "getenv", "getProperty", "getProperties", "setProperty", "clearProperty", "lineSeparator" -> {
                        return "environment: System." + name;
                    }
                    case "identityHashCode" -> {
                        return "hash-order iteration: System.identityHashCode differs between runs";
                    }
                    default -> {
                        return null;
                    }
                }
            }
            case "java/lang/Math", "java/lang/StrictMath" -> {
                if (name.equals("random")) {
                    return "randomness: " + simple(owner) + ".random";
                }
                return null; // float/double overloads are caught by their descriptors
            }
            case "java/util/UUID" -> {
                return name.equals("randomUUID") ? "randomness: UUID.randomUUID" : null;
            }
            case "java/util/Set", "java/util/Map" -> {
                return switch (name) {
                    case "of", "copyOf", "ofEntries" ->
                            "hash-order iteration: " + simple(owner) + "." + name + " (iteration order changes between JVM runs)";
                    default -> null;
                };
            }
            case "java/util/stream/Collectors" -> {
                return hashCollector(name, desc);
            }
            case "java/lang/String" -> {
                switch (name) {
                    case "toLowerCase", "toUpperCase" -> {
                        return desc.startsWith("()") ? "locale: String." + name + "() without a Locale" : null;
                    }
                    case "format", "formatted" -> {
                        return "locale: String." + name;
                    }
                    case "getBytes" -> {
                        return desc.equals("()[B") ? "locale: String.getBytes() without a Charset" : null;
                    }
                    case "<init>" -> {
                        return desc.equals("([B)V") || desc.equals("([BII)V")
                                ? "locale: new String(byte[]) without a Charset" : null;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            case "java/util/Locale" -> {
                return name.equals("getDefault") || name.equals("setDefault") ? "locale: Locale." + name : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Collectors that build a HashMap/HashSet or a Set.of/Map.of style collection. */
    private static String hashCollector(String name, String desc) {
        int args = Type.getArgumentTypes(desc).length;
        boolean hashed = switch (name) {
            case "toSet", "toUnmodifiableSet", "toUnmodifiableMap" -> true;
            case "toMap" -> args < 4;           // without a map supplier: HashMap
            case "groupingBy" -> args < 3;      // without a map factory: HashMap
            default -> false;
        };
        return hashed ? "hash-order iteration: Collectors." + name + " collects into a hash-ordered collection" : null;
    }

    /** Why this opcode (with no operand) is forbidden, or null. */
    private static String forbiddenInsn(int opcode) {
        if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
            return "threads: synchronized block (" + opcodeName(opcode) + ")";
        }
        if ((opcode >= Opcodes.FCONST_0 && opcode <= Opcodes.DCONST_1)
                || opcode == Opcodes.FALOAD || opcode == Opcodes.DALOAD
                || opcode == Opcodes.FASTORE || opcode == Opcodes.DASTORE
                || (opcode >= Opcodes.FADD && opcode <= Opcodes.DNEG && isFloatArith(opcode))
                || (opcode >= Opcodes.I2F && opcode <= Opcodes.D2F && opcode != Opcodes.L2I)
                || (opcode >= Opcodes.FCMPL && opcode <= Opcodes.DCMPG)
                || opcode == Opcodes.FRETURN || opcode == Opcodes.DRETURN) {
            return "floating point: " + opcodeName(opcode);
        }
        return null;
    }

    /** FADD..DNEG interleave int, long, float and double variants: IADD LADD FADD DADD ISUB ... */
    private static boolean isFloatArith(int opcode) {
        int kind = (opcode - Opcodes.IADD) % 4; // 0 int, 1 long, 2 float, 3 double
        return kind == 2 || kind == 3;
    }

    private static String floatIn(Type type) {
        Type t = type.getSort() == Type.ARRAY ? type.getElementType() : type;
        return t.getSort() == Type.FLOAT ? "float" : t.getSort() == Type.DOUBLE ? "double" : null;
    }

    /** "float"/"double" when a field or method descriptor mentions one, else null. */
    private static String floatInDescriptor(String desc) {
        if (desc.isEmpty()) {
            return null;
        }
        if (desc.charAt(0) == '(') {
            for (Type arg : Type.getArgumentTypes(desc)) {
                String f = floatIn(arg);
                if (f != null) {
                    return f;
                }
            }
            return floatIn(Type.getReturnType(desc));
        }
        return floatIn(Type.getType(desc));
    }

    /** The class names a field or method descriptor mentions. */
    private static List<String> typesInDescriptor(String desc) {
        List<String> out = new ArrayList<>();
        if (desc.charAt(0) == '(') {
            for (Type arg : Type.getArgumentTypes(desc)) {
                addObjectType(arg, out);
            }
            addObjectType(Type.getReturnType(desc), out);
        } else {
            addObjectType(Type.getType(desc), out);
        }
        return out;
    }

    private static void addObjectType(Type t, List<String> out) {
        Type e = t.getSort() == Type.ARRAY ? t.getElementType() : t;
        if (e.getSort() == Type.OBJECT) {
            out.add(e.getInternalName());
        }
    }

    /** The class names a generic signature mentions. */
    private static List<String> typesInSignature(String signature) {
        List<String> out = new ArrayList<>();
        new SignatureReader(signature).accept(new SignatureVisitor(Opcodes.ASM9) {
            private String outer;

            @Override
            public void visitClassType(String name) {
                outer = name;
                out.add(name);
            }

            @Override
            public void visitInnerClassType(String name) {
                outer = outer + "$" + name;
                out.add(outer);
            }

            @Override
            public void visitBaseType(char descriptor) {
                if (descriptor == 'F' || descriptor == 'D') {
                    out.add(descriptor == 'F' ? "java/lang/Float" : "java/lang/Double");
                }
            }
        });
        return out;
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String simple(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    /** Names of the opcodes this scanner reports. */
    private static final Map<Integer, String> OPCODE_NAMES = Map.ofEntries(
            Map.entry(Opcodes.FCONST_0, "FCONST_0"),
            Map.entry(Opcodes.FCONST_1, "FCONST_1"),
            Map.entry(Opcodes.FCONST_2, "FCONST_2"),
            Map.entry(Opcodes.DCONST_0, "DCONST_0"),
            Map.entry(Opcodes.DCONST_1, "DCONST_1"),
            Map.entry(Opcodes.FLOAD, "FLOAD"),
            Map.entry(Opcodes.DLOAD, "DLOAD"),
            Map.entry(Opcodes.FALOAD, "FALOAD"),
            Map.entry(Opcodes.DALOAD, "DALOAD"),
            Map.entry(Opcodes.FSTORE, "FSTORE"),
            Map.entry(Opcodes.DSTORE, "DSTORE"),
            Map.entry(Opcodes.FASTORE, "FASTORE"),
            Map.entry(Opcodes.DASTORE, "DASTORE"),
            Map.entry(Opcodes.FADD, "FADD"),
            Map.entry(Opcodes.DADD, "DADD"),
            Map.entry(Opcodes.FSUB, "FSUB"),
            Map.entry(Opcodes.DSUB, "DSUB"),
            Map.entry(Opcodes.FMUL, "FMUL"),
            Map.entry(Opcodes.DMUL, "DMUL"),
            Map.entry(Opcodes.FDIV, "FDIV"),
            Map.entry(Opcodes.DDIV, "DDIV"),
            Map.entry(Opcodes.FREM, "FREM"),
            Map.entry(Opcodes.DREM, "DREM"),
            Map.entry(Opcodes.FNEG, "FNEG"),
            Map.entry(Opcodes.DNEG, "DNEG"),
            Map.entry(Opcodes.I2F, "I2F"),
            Map.entry(Opcodes.I2D, "I2D"),
            Map.entry(Opcodes.L2F, "L2F"),
            Map.entry(Opcodes.L2D, "L2D"),
            Map.entry(Opcodes.F2I, "F2I"),
            Map.entry(Opcodes.F2L, "F2L"),
            Map.entry(Opcodes.F2D, "F2D"),
            Map.entry(Opcodes.D2I, "D2I"),
            Map.entry(Opcodes.D2L, "D2L"),
            Map.entry(Opcodes.D2F, "D2F"),
            Map.entry(Opcodes.FCMPL, "FCMPL"),
            Map.entry(Opcodes.FCMPG, "FCMPG"),
            Map.entry(Opcodes.DCMPL, "DCMPL"),
            Map.entry(Opcodes.DCMPG, "DCMPG"),
            Map.entry(Opcodes.FRETURN, "FRETURN"),
            Map.entry(Opcodes.DRETURN, "DRETURN"),
            Map.entry(Opcodes.MONITORENTER, "MONITORENTER"),
            Map.entry(Opcodes.MONITOREXIT, "MONITOREXIT"));

    private static String opcodeName(int opcode) {
        return OPCODE_NAMES.getOrDefault(opcode, "opcode " + opcode);
    }

    // ------------------------------------------------------------------------------------------------
    // The visitors

    private static final class ClassChecker extends ClassVisitor {
        private final Set<String> violations;
        private String className;

        ClassChecker(Set<String> violations) {
            super(Opcodes.ASM9);
            this.violations = violations;
        }

        void report(String member, String reason) {
            violations.add(className + "." + member + ": " + reason);
        }

        void checkType(String member, String internalName) {
            if (internalName == null) {
                return;
            }
            if (internalName.startsWith("[")) { // array type used as an owner or class literal
                Type t = Type.getType(internalName);
                String f = floatIn(t);
                if (f != null) {
                    report(member, "floating point: " + f + " array");
                }
                if (t.getElementType().getSort() == Type.OBJECT) {
                    checkType(member, t.getElementType().getInternalName());
                }
                return;
            }
            String reason = forbiddenType(internalName);
            if (reason != null) {
                report(member, reason);
            }
        }

        void checkDescriptor(String member, String desc) {
            String f = floatInDescriptor(desc);
            if (f != null) {
                report(member, "floating point: " + f + " in descriptor " + desc);
            }
            for (String t : typesInDescriptor(desc)) {
                checkType(member, t);
            }
        }

        void checkSignature(String member, String signature) {
            if (signature != null) {
                for (String t : typesInSignature(signature)) {
                    checkType(member, t);
                }
            }
        }

        void checkHandle(String member, Handle h) {
            checkType(member, h.getOwner());
            checkDescriptor(member, h.getDesc());
            String reason = forbiddenCall(h.getOwner(), h.getName(), h.getDesc());
            if (reason != null) {
                report(member, reason);
            }
        }

        void checkConstant(String member, Object value) {
            if (value instanceof Float || value instanceof Double) {
                report(member, "floating point: constant " + value);
            } else if (value instanceof Type t) {
                if (t.getSort() == Type.METHOD) {
                    checkDescriptor(member, t.getDescriptor());
                } else if (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) {
                    checkType(member, t.getInternalName());
                }
            } else if (value instanceof Handle h) {
                checkHandle(member, h);
            } else if (value instanceof org.objectweb.asm.ConstantDynamic cd) {
                checkDescriptor(member, cd.getDescriptor());
                checkHandle(member, cd.getBootstrapMethod());
                for (int i = 0; i < cd.getBootstrapMethodArgumentCount(); i++) {
                    checkConstant(member, cd.getBootstrapMethodArgument(i));
                }
            }
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            className = name.replace('/', '.');
            checkType("<class>", superName);
            if (interfaces != null) {
                for (String i : interfaces) {
                    checkType("<class>", i);
                }
            }
            checkSignature("<class>", signature);
        }

        @Override
        public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            checkDescriptor(name, descriptor);
            checkSignature(name, signature);
            return null;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            checkDescriptor(name, descriptor);
            checkSignature(name, signature);
            checkConstant(name, value);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            checkDescriptor(name, descriptor);
            checkSignature(name, signature);
            if (exceptions != null) {
                for (String e : exceptions) {
                    checkType(name, e);
                }
            }
            if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                report(name, "threads: synchronized method");
            }
            return new MethodChecker(this, name);
        }
    }

    private static final class MethodChecker extends MethodVisitor {
        private final ClassChecker c;
        private final String member;

        MethodChecker(ClassChecker c, String member) {
            super(Opcodes.ASM9);
            this.c = c;
            this.member = member;
        }

        @Override
        public void visitInsn(int opcode) {
            String reason = forbiddenInsn(opcode);
            if (reason != null) {
                c.report(member, reason);
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (opcode == Opcodes.NEWARRAY && (operand == Opcodes.T_FLOAT || operand == Opcodes.T_DOUBLE)) {
                c.report(member, "floating point: NEWARRAY " + (operand == Opcodes.T_FLOAT ? "float" : "double"));
            }
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            if (opcode == Opcodes.FLOAD || opcode == Opcodes.DLOAD || opcode == Opcodes.FSTORE
                    || opcode == Opcodes.DSTORE) {
                c.report(member, "floating point: " + opcodeName(opcode));
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            c.checkType(member, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            c.checkType(member, owner);
            c.checkDescriptor(member, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            c.checkType(member, owner);
            c.checkDescriptor(member, descriptor);
            String reason = forbiddenCall(owner, name, descriptor);
            if (reason != null) {
                c.report(member, reason);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
            c.checkDescriptor(member, descriptor);
            if (!ALLOWED_BOOTSTRAP_OWNERS.contains(bsm.getOwner())) {
                c.checkHandle(member, bsm);
            }
            for (Object arg : bsmArgs) {
                c.checkConstant(member, arg);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            c.checkConstant(member, value);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            c.checkType(member, descriptor);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            c.checkType(member, type);
        }

        @Override
        public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
                int index) {
            c.checkDescriptor(member, descriptor);
            c.checkSignature(member, signature);
        }
    }
}
