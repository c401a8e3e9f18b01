package org.aigcmark.codec.system;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import java.util.Optional;

/** Finds a system library under the names it has on Linux, macOS and Windows and binds its entry points once. */
final class SystemLibrary {
    private SystemLibrary() {}

    /** What binds a library's entry points; throws when a symbol is missing (another build or version of it). */
    interface Binder<T> {
        T bind(SymbolLookup library, Linker linker, String file);
    }

    /**
     * The first of {@code names} that loads and binds, or empty when none does (not installed: the caller's Java path
     * decides, so a machine without the library works as before).
     */
    static <T> Optional<T> firstLoadable(List<String> names, Binder<T> binder) {
        for (String name : names) {
            try {
                return Optional.of(binder.bind(SymbolLookup.libraryLookup(name, Arena.global()), Linker.nativeLinker(), name));
            } catch (IllegalArgumentException | java.util.NoSuchElementException | UnsupportedOperationException e) {
                // not installed under this name (or not this platform's): try the next
            }
        }
        return Optional.empty();
    }
}
