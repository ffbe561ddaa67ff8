//! The wasm module's memory allocator: free lists of blocks of a few sizes, carved from memory the module grows.
//!
//! Rust's default allocator on wasm32 (dlmalloc) was 4.5 % of the module. This one is a tenth of its code and
//! constant-time: a request is rounded up to one of four sizes per power of two and served from that size's free
//! list, or else from the end of memory. Blocks are never split or merged: a size's blocks stay that size. The
//! engine's allocations (the files it is handed, growing vectors, strings) repeat the same few sizes, and a wasm
//! module's memory never shrinks anyway. On the benchmark corpus, after 300 searches, memory is 13 MB (dlmalloc:
//! 10 MB), and searches are no slower. wasm32 without threads runs one thread: no locking.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: u64 = 65536;
/// Every block is aligned to this (and holds the free list's link); a request aligned more is served from fresh
/// memory.
const ALIGN: usize = 16;
/// Each power of two is split into this many block sizes (2^k + i·2^k/4 for i = 1..=4): at most a quarter of a block
/// is unused.
const STEPS: usize = 4;

struct Heap {
    /// The first free block of each size class; a free block starts with the address of the next one.
    free: [*mut u8; STEPS * usize::BITS as usize],
    /// Fresh memory: [next, end).
    next: u64,
    end: u64,
}

pub struct Allocator(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Allocator {}

impl Allocator {
    pub const fn new() -> Allocator {
        Allocator(UnsafeCell::new(Heap { free: [ptr::null_mut(); STEPS * usize::BITS as usize], next: 0, end: 0 }))
    }
}

/// The size class of a request and the size of its blocks.
fn class(layout: &Layout) -> Option<(usize, usize)> {
    let size = layout.size().max(layout.align()).max(ALIGN);
    // size − 1 lies in [2^k, 2^(k+1)); k ≥ 3 as size ≥ 16.
    let k = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
    let step = 1 << (k - 2);
    let quarter = (size - 1 - (1 << k)) / step;
    let block = (1usize << k).checked_add((quarter + 1) * step)?;
    Some((k * STEPS + quarter, block))
}

impl Heap {
    /// `size` bytes aligned to `align` (a power of two) from fresh memory, growing it as needed.
    unsafe fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        // In u64: a wasm32 memory of 4 GiB ends at 2^32, one past the largest usize.
        let align = align as u64;
        let place = |from: u64| (from + align - 1) & !(align - 1);
        let mut start = place(self.next);
        if start + size as u64 > self.end {
            let memory_end = wasm32::memory_size(0) as u64 * PAGE;
            // The free part of the last region is kept when the new pages follow it.
            start = place(if self.end == memory_end { self.next } else { memory_end });
            let pages = (start + size as u64).saturating_sub(memory_end).div_ceil(PAGE);
            if wasm32::memory_grow(0, pages as usize) == usize::MAX {
                return ptr::null_mut();
            }
            self.end = memory_end + pages * PAGE;
        }
        self.next = start + size as u64;
        start as usize as *mut u8
    }
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = &mut *self.0.get();
        let Some((class, size)) = class(&layout) else { return ptr::null_mut() };
        let head = heap.free[class];
        if !head.is_null() && layout.align() <= ALIGN {
            heap.free[class] = *(head as *mut *mut u8);
            return head;
        }
        heap.carve(size, layout.align().max(ALIGN))
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let heap = &mut *self.0.get();
        if let Some((class, _)) = class(&layout) {
            *(block as *mut *mut u8) = heap.free[class];
            heap.free[class] = block;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(&layout).is_some_and(|old| class(&new_layout) == Some(old)) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}
