/**
 * Shared helpers of the SDK's own code, public only so that its other packages and modules can reach them: not
 * API. They may change in any release; applications should not call them. The one exception is {@code Limits}
 * (allocation caps for hostile input), which appears in {@code Labeler.create} and {@code FormatHandler}
 * signatures: pass {@code Limits.DEFAULT} or a copy with other caps. The rest: {@code AtomicFiles} (outputs
 * written to a temp file, synced and renamed), {@code ChannelSource} (positional reads, range copy and digest over
 * a channel), {@code HardenedXml} (the one DOM parser setup, DOCTYPEs refused), {@code Sha256} and {@code
 * VectorApi}.
 */
package org.aigcmark.internal;
