//! Reading an input file whole, and never more of it than a limit: a
//! report, a photo. (What may be read, and where from, is the caller's.)

use std::io::Read;
use std::path::Path;

/// The bytes of `path`, at most `limit + 1` of them (more than `limit`
/// means the file grew past it since the caller looked). `size` is the
/// size the caller saw: the buffer is that big from the start, since grown
/// by doubling it took fresh memory, which the kernel zeroes, at every
/// step (most of the photos' reading time).
pub fn read_at_most(path: &Path, size: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0));
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
