package org.npuc.cli;

import org.npuc.interp.Simd;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by the build), or {@code dev} when run from classes, and which float kernels run. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"npuc " + (v != null ? v : "dev") + " (Java " + System.getProperty("java.version") + ")", Simd.describe()};
  }
}
