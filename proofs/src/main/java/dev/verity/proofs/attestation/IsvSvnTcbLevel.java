package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.List;

/**
 * A TCB level keyed by one ISV SVN, as in QE identity and in TCB info's TDX module identities:
 * {@code {"tcb":{"isvsvn":N},"tcbDate":"...","tcbStatus":"..."}}. Intel lists levels newest first;
 * the first level whose isvsvn is at most the SVN found applies.
 */
record IsvSvnTcbLevel(int isvSvn, long tcbDate, TdxTcbStatus status) {

    static List<IsvSvnTcbLevel> parseAll(List<Json.Value> values) {
        List<IsvSvnTcbLevel> out = new ArrayList<>();
        for (Json.Value v : values) {
            if (!(v instanceof Json.Obj level)) {
                throw new IllegalArgumentException("a TCB level is not an object");
            }
            out.add(new IsvSvnTcbLevel(level.object("tcb").integer("isvsvn", 0xFFFF), level.time("tcbDate"),
                    TdxTcbStatus.ofCollateral(level.string("tcbStatus"))));
        }
        return List.copyOf(out);
    }

    /** The status of the first level that {@code svn} reaches, or {@link TdxTcbStatus#NOT_SUPPORTED}. */
    static TdxTcbStatus statusFor(List<IsvSvnTcbLevel> levels, int svn) {
        for (IsvSvnTcbLevel l : levels) {
            if (svn >= l.isvSvn()) {
                return l.status();
            }
        }
        return TdxTcbStatus.NOT_SUPPORTED;
    }
}
