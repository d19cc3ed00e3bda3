package dev.berth.builder.exec;

import java.util.ArrayList;
import java.util.List;

/** Collects a build's output for assertions. */
final class RecordingOutput implements BuildOutput {
    final StringBuilder text = new StringBuilder();
    final List<String> aux = new ArrayList<>();

    @Override
    public void stream(String s) {
        text.append(s);
    }

    @Override
    public void aux(String imageId) {
        aux.add(imageId);
    }

    List<String> lines() {
        return List.of(text.toString().split("\n"));
    }
}
