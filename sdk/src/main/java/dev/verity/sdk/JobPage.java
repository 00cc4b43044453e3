package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.sdk.api.JobView;
import java.util.List;

/**
 * One page of a job listing in the deadline order ({@link JobQuery#byDeadline()}) and the cursor of the next page:
 * {@code next} is null when this page is the last. A cursor is {@code <deadlineHeight>:<jobId>} of the last job of its
 * page ({@link #cursorOf}); the node sends it in the {@value #NEXT_CURSOR_HEADER} response header when more jobs follow.
 * Jobs assigned or answered between two pages may be missed or seen once more by a walk over the pages (the cursor is a
 * position, not a snapshot); a worker walks them again at its next poll.
 */
public record JobPage(List<JobView> jobs, String next) {
    /** The response header of {@code GET /v1/jobs?order=deadline} that carries the next page's cursor. */
    public static final String NEXT_CURSOR_HEADER = "Verity-Next-Cursor";

    public JobPage {
        jobs = List.copyOf(jobs);
    }

    public boolean hasNext() {
        return next != null;
    }

    /** The cursor that starts a page just after {@code job}: its deadline height and id. */
    public static String cursorOf(JobView job) {
        return job.deadlineHeight() + ":" + job.id();
    }

    /** The cursor {@code <deadlineHeight>:<jobId>}. */
    public static String cursor(long deadlineHeight, Hash job) {
        return deadlineHeight + ":" + job.hex();
    }

    /** Checks that {@code cursor} has the form {@code <deadlineHeight>:<jobId>}; the node checks it again. */
    static void requireCursor(String cursor) {
        int colon = cursor.indexOf(':');
        boolean ok = colon > 0 && cursor.length() - colon - 1 == 64;
        for (int i = 0; ok && i < cursor.length(); i++) {
            char c = cursor.charAt(i);
            ok = i == colon || (i < colon ? c >= '0' && c <= '9' : Character.digit(c, 16) >= 0);
        }
        if (!ok) {
            throw new IllegalArgumentException("a job cursor is <deadlineHeight>:<jobId> (a whole number, ':', 64 hex "
                    + "characters), got '" + (cursor.length() > 80 ? cursor.substring(0, 80) + "..." : cursor) + "'");
        }
    }
}
