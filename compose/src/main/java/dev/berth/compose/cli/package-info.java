/** The {@code compose} picocli command tree ({@link dev.berth.compose.cli.ComposeCommand}). */
package dev.berth.compose.cli;
