package org.npuc.target.binary;

import org.npuc.spi.TargetProgram;

/**
 * A binary after the reader checked it: the header fields and the program it holds.
 *
 * @param formatMajor format version, major (a reader refuses another major)
 * @param formatMinor format version, minor (additions a reader may ignore)
 * @param target the spec name compiled for
 * @param backend the backend id whose simulator runs it
 * @param specHash hex SHA-256 of the spec
 * @param compilerVersion the npuc version that wrote it
 * @param program the tensor table, weights, commands, memory plan and metadata
 * @param sha256 hex SHA-256 checksum stored in the trailer
 * @param size file size in bytes
 */
public record BinaryImage(
    int formatMajor,
    int formatMinor,
    String target,
    String backend,
    String specHash,
    String compilerVersion,
    TargetProgram program,
    String sha256,
    long size) {}
