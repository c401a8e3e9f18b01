/**
 * Helpers of the sdk's own code: not API, not exported by the sdk's module-info, and used by no other module
 * ({@code InternalPackageFenceTest}). They may change in any release. {@code ChannelSource} (positional reads, range
 * copy and digest over a channel), {@code VectorApi} (whether {@code jdk.incubator.vector} is present), {@code
 * IoErrors} (the wording of an I/O failure).
 */
package org.aigcmark.internal;
