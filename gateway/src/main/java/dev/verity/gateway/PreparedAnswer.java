package dev.verity.gateway;

import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.backend.JobStarted;
import dev.verity.gateway.generation.AnswerText;
import dev.verity.gateway.generation.GenerationPlan;
import dev.verity.gateway.openai.AnswerFormat;
import dev.verity.gateway.openai.AnswerIdentity;
import dev.verity.gateway.openai.StreamOptions;
import dev.verity.gateway.openai.Usage;
import jakarta.servlet.http.HttpServletResponse;

/** A checked request ready to run: the job's plan and how its answer is written. */
record PreparedAnswer(GenerationPlan plan, AnswerFormat format, AnswerIdentity who, StreamOptions streaming) {
    static final String JOB_HEADER = "Verity-Job";
    static final String MODE_HEADER = "Verity-Mode";
    static final String NODE_HEADER = "Verity-Node";
    static final String STATUS_HEADER = "Verity-Status";
    /** The status header of a stream that starts before its result is posted. */
    static final String ASSIGNED = "ASSIGNED";

    /** OpenAI's finish reason: {@code stop} when the text was cut at a stop string, otherwise as the result says. */
    static String finishReason(AnswerText text, GenerationOutcome outcome) {
        return text.cutAtStopString() ? "stop" : outcome.result().finishReason().openAiName();
    }

    Usage usage(GenerationOutcome outcome) {
        return Usage.of(plan.request().promptLength(), outcome.result().length());
    }

    static void headers(HttpServletResponse res, GenerationOutcome o) {
        res.setHeader(JOB_HEADER, o.job().hex());
        res.setHeader(MODE_HEADER, o.mode().name());
        res.setHeader(NODE_HEADER, o.node().hex());
        res.setHeader(STATUS_HEADER, o.status().name());
    }

    static void headers(HttpServletResponse res, JobStarted j) {
        res.setHeader(JOB_HEADER, j.job().hex());
        res.setHeader(MODE_HEADER, j.mode().name());
        res.setHeader(NODE_HEADER, j.node().hex());
        res.setHeader(STATUS_HEADER, ASSIGNED);
    }
}
