#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A tree of files under the temporary directory for fixture-driven tests (`/proc`, cgroup
/// files): built at run time, since the test target declares no resources.
///
/// ```swift
/// let tree = try FileTree(["proc/meminfo": Array("MemTotal: 1 kB\n".utf8)])
/// defer { tree.remove() }
/// #expect(SystemMemory.read(root: tree.root).total == 1024)
/// ```
struct FileTree {
    /// Why a tree could not be built.
    struct BuildError: Error, CustomStringConvertible {
        let description: String
    }

    /// The tree's root directory.
    let root: String
    private var directories: [String]
    private var files: [String] = []

    /// Builds the files (paths relative to the root → contents), making the directories on the
    /// way; on failure, removes what it made before it throws.
    init(_ contents: some Sequence<(key: String, value: [UInt8])>, prefix: String = "nebula-fixture") throws {
        let temporary = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((temporary + "/\(prefix)-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BuildError(description: "mkdtemp in \(temporary) failed: errno \(errno)")
        }
        root = String(cString: created)
        directories = [root]
        do {
            for (relativePath, bytes) in contents { try write(relativePath, bytes) }
        } catch {
            remove()
            throw error
        }
    }

    private mutating func write(_ relativePath: String, _ bytes: [UInt8]) throws {
        var directory = root
        for component in relativePath.split(separator: "/").dropLast() {
            directory += "/" + component
            if mkdir(directory, 0o755) == 0 {
                directories.append(directory)
            } else if errno != EEXIST {
                throw BuildError(description: "mkdir \(directory) failed: errno \(errno)")
            }
        }
        let path = root + "/" + relativePath
        guard let file = fopen(path, "w") else { throw BuildError(description: "fopen \(path) failed: errno \(errno)") }
        files.append(path)
        let count = fwrite(bytes, 1, bytes.count, file)
        guard fclose(file) == 0, count == bytes.count else { throw BuildError(description: "writing \(path) failed") }
    }

    /// Removes exactly what the tree made, deepest first; never a recursive delete of a path.
    func remove() {
        for file in files { unlink(file) }
        for directory in directories.sorted(by: { $0.count > $1.count }) { rmdir(directory) }
    }
}
