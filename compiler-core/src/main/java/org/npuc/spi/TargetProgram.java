package org.npuc.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lowered program that every target shares: a tensor table, a command stream in execution order,
 * the activation arena's size and the memory plan's lower bound, and metadata. Backends build it
 * (usually with {@code org.npuc.target.lower.ProgramBuilder}, then rewrite commands), the emitter
 * writes it to the common binary, and the reader gives it back to the simulator.
 */
public final class TargetProgram {
  private final String target;
  private final List<ProgramTensor> tensors;
  private final List<Command> commands;
  private final Map<String, String> metadata;
  private long arenaBytes;
  private long liveLowerBound;
  private long alignment;

  public TargetProgram(String target, List<ProgramTensor> tensors, List<Command> commands, Map<String, String> metadata) {
    this.target = target;
    this.tensors = new ArrayList<>(tensors);
    this.commands = new ArrayList<>(commands);
    this.metadata = new TreeMap<>(metadata);
  }

  /** The spec name the program was compiled for. */
  public String target() {
    return target;
  }

  /** Tensors by id (the list index); mutable for lowering steps. */
  public List<ProgramTensor> tensors() {
    return tensors;
  }

  /** Commands in execution order; mutable for lowering steps. */
  public List<Command> commands() {
    return commands;
  }

  /** Sorted metadata (pipeline, calibration method, spec name, ...). */
  public Map<String, String> metadata() {
    return metadata;
  }

  public ProgramTensor tensor(int id) {
    return tensors.get(id);
  }

  public long arenaBytes() {
    return arenaBytes;
  }

  /** Max over time of the bytes that are live at once: no plan can use a smaller arena. */
  public long liveLowerBound() {
    return liveLowerBound;
  }

  public long alignment() {
    return alignment;
  }

  public void setMemoryPlan(long arenaBytes, long liveLowerBound, long alignment) {
    this.arenaBytes = arenaBytes;
    this.liveLowerBound = liveLowerBound;
    this.alignment = alignment;
  }

  /** Ids of the graph inputs, in order. */
  public List<Integer> inputIds() {
    return idsOf(ProgramTensor.Kind.INPUT);
  }

  /** Ids of the graph outputs, in order. */
  public List<Integer> outputIds() {
    return idsOf(ProgramTensor.Kind.OUTPUT);
  }

  private List<Integer> idsOf(ProgramTensor.Kind kind) {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) if (tensors.get(i).kind() == kind) r.add(i);
    return r;
  }

  public long weightBytes() {
    long n = 0;
    for (ProgramTensor t : tensors) if (t.kind() == ProgramTensor.Kind.CONSTANT) n += t.bytes();
    return n;
  }

  public long totalCycles() {
    long n = 0;
    for (Command c : commands) n += c.cycles();
    return n;
  }
}
