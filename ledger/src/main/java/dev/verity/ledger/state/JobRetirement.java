package dev.verity.ledger.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes finished jobs out of the live state at the end of a block, so that live state (and a node's memory) grows
 * with the work in flight, not with history. A job is finished when nothing can change it any more: SETTLED (a
 * provable job settles only once its challenge window, audit or dispute is over), EXPIRED, CANCELLED or FAILED.
 * Its rows (record, input, output, failure report) are removed and handed out as a {@link RetiredJob}.
 */
public final class JobRetirement {
    private JobRetirement() {}

    /** Retires the finished jobs among those written since the last drain; returns how many. */
    public static int retireFinished(LedgerState state) {
        List<JobRecord> finished = new ArrayList<>();
        for (Table.Row<?, JobRecord> row : state.jobs.written()) {
            JobRecord job = row.value();
            if (job != null && isFinished(job.status())) {
                finished.add(job);
            }
        }
        for (JobRecord job : finished) {
            state.retire(new RetiredJob(job, state.jobInputs.get(job.id()), state.jobOutputs.get(job.id()),
                    state.jobFailures.get(job.id())));
            state.jobs.remove(job.id());
            state.jobInputs.remove(job.id());
            state.jobOutputs.remove(job.id());
            state.jobFailures.remove(job.id());
        }
        return finished.size();
    }

    public static boolean isFinished(JobStatus status) {
        return switch (status) {
            case SETTLED, EXPIRED, CANCELLED, FAILED -> true;
            case QUEUED, ASSIGNED, VERIFYING, DISPUTED -> false;
        };
    }
}
