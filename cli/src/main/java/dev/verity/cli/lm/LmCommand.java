package dev.verity.cli.lm;

import dev.verity.cli.GroupCommand;
import picocli.CommandLine.Command;

/**
 * {@code verity lm ...}: building the project's small language model. Each step is a subcommand; add the next one
 * (training, export) to {@code subcommands}.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Build the project's small language model: its corpus, its tokenizer, its training.",
        subcommands = {LmCorpusCommand.class, LmTokenizerCommand.class, LmTrainCommand.class, LmQuantizeCommand.class})
public final class LmCommand extends GroupCommand {
}
