//! Just enough of the compound file format (the container of .xls files) to read one stream as
//! the .xls reader would: every table and chain bounded by the sectors the file really has.

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// Streams shorter than this live in the mini stream, as the reader has it.
const MINI_CUTOFF: usize = 4096;

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

struct File<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    /// Sectors the file holds after its header: no table or chain can be longer.
    sectors: usize,
}

impl File<'_> {
    fn sector(&self, index: u32) -> Option<&[u8]> {
        let start = (index as usize).checked_add(1)?.checked_mul(self.sector_size)?;
        self.bytes.get(start..start.checked_add(self.sector_size)?)
    }

    /// The bytes of the chain starting at `first` in `table`, of sectors `size` long read by
    /// `sector`; at most `most` sectors (a longer chain loops: refused).
    fn chain(
        &self,
        first: u32,
        table: &[u32],
        most: usize,
        sector: impl Fn(u32) -> Option<Vec<u8>>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut index = first;
        for _ in 0..=most {
            if index == END_OF_CHAIN {
                return Some(out);
            }
            out.extend(sector(index)?);
            index = *table.get(index as usize)?;
        }
        None
    }
}

/// The first stream of `bytes` named `name` (ignoring case), as the reader finds it.
pub fn stream(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    if bytes.get(..8)? != SIGNATURE {
        return None;
    }
    let shift = u16::from_le_bytes([*bytes.get(0x1E)?, *bytes.get(0x1F)?]);
    let sector_size = match shift {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    let file = File {
        bytes,
        sector_size,
        sectors: (bytes.len() / sector_size).saturating_sub(1),
    };
    let per_sector = sector_size / 4;
    // The FAT's sectors: 109 named in the header, the rest in a chain of DIFAT sectors.
    let fat_count = (u32_at(bytes, 0x2C)? as usize).min(file.sectors);
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 0x4C + 4 * i)).collect();
    let mut difat = u32_at(bytes, 0x44)?;
    for _ in 0..(u32_at(bytes, 0x48)? as usize).min(file.sectors) {
        if fat_sectors.len() >= fat_count {
            break;
        }
        let sector = file.sector(difat)?;
        fat_sectors.extend((0..per_sector - 1).filter_map(|i| u32_at(sector, 4 * i)));
        difat = u32_at(sector, 4 * (per_sector - 1))?;
    }
    let mut fat = Vec::new();
    for &sector in fat_sectors.iter().take(fat_count) {
        let sector = file.sector(sector)?;
        fat.extend((0..per_sector).filter_map(|i| u32_at(sector, 4 * i)));
    }
    let read = |index: u32| file.sector(index).map(<[u8]>::to_vec);
    let directory = file.chain(u32_at(bytes, 0x30)?, &fat, file.sectors, read)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let entry_name = |entry: &[u8]| {
        let units: Vec<u16> = entry[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let name = String::from_utf16_lossy(&units);
        name.split('\0').next().unwrap_or_default().to_string()
    };
    let found = entries
        .iter()
        .find(|entry| entry_name(entry).eq_ignore_ascii_case(name))?;
    let start = u32_at(found, 116)?;
    let size = match sector_size {
        512 => u32_at(found, 120)? as usize,
        _ => usize::try_from(u64::from(u32_at(found, 120)?) | u64::from(u32_at(found, 124)?) << 32).ok()?,
    };
    if size > bytes.len() {
        return None;
    }
    let mut data = if size < MINI_CUTOFF {
        // A small stream lives in the mini stream, in 64-byte sectors of its own table.
        let root = entries.first()?;
        let mini_fat_count = (u32_at(bytes, 0x40)? as usize).min(file.sectors);
        let mini_fat_bytes = file.chain(u32_at(bytes, 0x3C)?, &fat, mini_fat_count, read)?;
        let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4)
            .filter_map(|i| u32_at(&mini_fat_bytes, 4 * i))
            .collect();
        let mini_stream = file.chain(u32_at(root, 116)?, &fat, file.sectors, read)?;
        let mini_sectors = mini_stream.len() / 64;
        file.chain(start, &mini_fat, mini_sectors, |index| {
            let at = (index as usize).checked_mul(64)?;
            mini_stream.get(at..at.checked_add(64)?).map(<[u8]>::to_vec)
        })?
    } else {
        file.chain(start, &fat, file.sectors, read)?
    };
    if data.len() < size {
        return None;
    }
    data.truncate(size);
    Some(data)
}
