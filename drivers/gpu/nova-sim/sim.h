/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-sim internals: a software model of an NVIDIA GPU's memory
 * subsystem (VRAM, BAR0 registers, PRAMIN, GPU MMU with TLBs, BAR1).
 *
 * Hardware facts come from /work/shared/reference/nvidia-hw-facts.md
 * ("the reference" below) and <linux/nova/regs.h>; the registers nova-sim
 * invents are in <linux/nova/nvsim-regs.h>. Nothing here is shared
 * with nova-core: the simulator reads the formats the driver writes.
 */
#ifndef __NOVA_SIM_H__
#define __NOVA_SIM_H__

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/nova/hw.h>
#include <linux/nova/nvsim-regs.h>
#include <linux/nova/regs.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct dentry;
struct page;

/* VRAM is backed by host memory in 2 MiB physically contiguous chunks. */
#define NSIM_CHUNK_SHIFT	21
#define NSIM_CHUNK_SIZE		BIT_ULL(NSIM_CHUNK_SHIFT)
#define NSIM_CHUNK_ORDER	(NSIM_CHUNK_SHIFT - PAGE_SHIFT)
#define NSIM_POOL_SIZE		4

#define NSIM_FB_USABLE_START	SZ_1M
#define NSIM_RESERVED_MAX	SZ_16M
#define NSIM_VRAM_MIN		SZ_16M

/* What a read of BAR0 returns where nothing answers (PRAMIN off VRAM). */
#define NSIM_BAD_READ		0xbad0ac00

#define NSIM_TLB_SET_BITS	8
#define NSIM_TLB_SETS		BIT(NSIM_TLB_SET_BITS)
#define NSIM_TLB_WAYS		4

#define NSIM_FAULT_LOG_SIZE	64
/* Packets of the fault buffer after SET_DEFAULT (faultbuf.c). */
#define NSIM_FAULT_BUF_DEFAULT	256
#define NSIM_NO_CHID		U16_MAX

/* Channels of an instance; tokens are CHID | NSIM_RUNLIST << 16. */
#define NSIM_CHANNELS		64
/* How often the host looks again at the memory of an unsatisfied acquire. */
#define NSIM_ACQUIRE_POLL_MS	1
#define NSIM_RUNLIST		1
#define NSIM_GP_ENTRIES_MAX	SZ_1M
#define NSIM_HOST_BUF_SIZE	SZ_16K
#define NSIM_UNKNOWN_LOG_SIZE	16

/**
 * struct nsim_chip - a simulated chip
 * @name: lower-case chip name ("ga102")
 * @chipset: NV_PMC_BOOT_0 chipset
 * @pci_device: PCI device id (that of one real board with the chip)
 * @mmu_ver: page-table format, 2 or 3
 * @window_reg: BAR0 offset of the PRAMIN window register
 * @window_mask: the fields of @window_reg that read back
 * @window_base_mask: its BASE field (VRAM address >> 16)
 * @window_target_mask: its TARGET field, 0 when it has none
 * @chan_class: GPFIFO channel class, 0 when channels are not modelled
 * @ce_class: copy-engine class
 * @fault_eng_ce0: MMU engine id of CE0 in fault packets (dev_fault.h)
 * @fault_eng_bar1: MMU engine id of BAR1 in fault packets
 */
struct nsim_chip {
	const char *name;
	u32 chipset;
	u16 pci_device;
	unsigned int mmu_ver;
	u32 window_reg;
	u32 window_mask;
	u32 window_base_mask;
	u32 window_target_mask;
	u32 chan_class;
	u32 ce_class;
	u16 fault_eng_ce0;
	u16 fault_eng_bar1;
};

/**
 * struct nsim_xlate - the result of a translation
 * @va_base: VA of the start of the page (or sparse region)
 * @pa_base: VRAM address of the start of the page
 * @shift: log2 of the page size
 * @ro: the page is read-only
 * @sparse: the VA is sparse: a mapping state; engines read zero and
 *	drop writes, the HUB path faults (see nsim_xlate_locked())
 * @reason: 0, or an NOVA_FAULT_REASON_* (SPARSE only on the HUB path)
 */
struct nsim_xlate {
	u64 va_base;
	u64 pa_base;
	unsigned int shift;
	bool ro;
	bool sparse;
	u32 reason;
};

/**
 * struct nsim_tlb_entry - a cached translation
 * @pdb: page directory base of the address space
 * @va_base: VA of the page
 * @pa_base: VRAM address of the page
 * @shift: log2 of the page size
 * @valid: the entry holds a translation
 * @ro: read-only page
 * @sparse: sparse region
 */
struct nsim_tlb_entry {
	u64 pdb;
	u64 va_base;
	u64 pa_base;
	u8 shift;
	bool valid;
	bool ro;
	bool sparse;
};

/**
 * struct nsim_tlb - a set-associative TLB, fixed size, never allocates
 * @name: "gpc" or "hub"
 * @set: entries, NSIM_TLB_SETS x NSIM_TLB_WAYS
 * @victim: next way to replace in each set (round robin)
 * @hits: lookups served
 * @misses: lookups that walked the page tables
 * @evictions: valid entries replaced by a fill
 * @dropped: entries dropped by invalidations
 */
struct nsim_tlb {
	const char *name;
	struct nsim_tlb_entry set[NSIM_TLB_SETS][NSIM_TLB_WAYS];
	u8 victim[NSIM_TLB_SETS];
	u64 hits;
	u64 misses;
	u64 evictions;
	u64 dropped;
};

/**
 * struct nsim_fault - a fault of the history (debugfs)
 * @va: faulting address
 * @pdb: page directory base of the address space
 * @access: NV_PFAULT_ACCESS_TYPE_*
 * @reason: NOVA_FAULT_REASON_*
 * @bar1: the BAR1 path faulted, else an engine's
 * @chid: channel whose engine or host faulted, or NSIM_NO_CHID
 */
struct nsim_fault {
	u64 va;
	u64 pdb;
	u8 access;
	u8 reason;
	bool bar1;
	u16 chid;
};

/**
 * struct nsim_fault_pkt - a fault buffer packet to write
 * @addr: VRAM address of its slot, U64_MAX when there is none
 * @w: its words, in CPU order
 */
struct nsim_fault_pkt {
	u64 addr;
	u32 w[NV_MMU_FAULT_BUF_SIZE / 4];
};

/**
 * enum nsim_chan_state - what a channel's host is doing
 * @NSIM_CHAN_IDLE: nothing to fetch (GP_GET == GP_PUT), or not yet run
 * @NSIM_CHAN_WAITING: blocked on a semaphore acquire; re-evaluated at the
 *	next doorbell of any channel and after every semaphore release
 * @NSIM_CHAN_ERROR: stopped by an error; never runs again
 */
enum nsim_chan_state {
	NSIM_CHAN_IDLE,
	NSIM_CHAN_WAITING,
	NSIM_CHAN_ERROR,
};

/**
 * enum nsim_chan_error - why a channel stopped
 * @NSIM_CHAN_ERR_NONE: it did not
 * @NSIM_CHAN_ERR_MMU_FAULT: an access of the host or the engine faulted
 * @NSIM_CHAN_ERR_BAD_METHOD: a method the class does not have, or a
 *	software method
 * @NSIM_CHAN_ERR_UNSUPPORTED: a method or field value the simulator does
 *	not model (block-linear layout, reductions, timestamps...)
 * @NSIM_CHAN_ERR_ILLEGAL_CLASS: SET_OBJECT with a class the engine lacks
 * @NSIM_CHAN_ERR_BAD_HEADER: a pushbuffer word with a reserved SEC_OP
 * @NSIM_CHAN_ERR_BAD_GP_ENTRY: an ILLEGAL, CRC or subroutine GP entry
 * @NSIM_CHAN_ERR_BAD_GP_PUT: GP_PUT beyond the ring
 * @NSIM_CHAN_ERR_BAD_ARGUMENT: a misaligned semaphore, a bad remap
 * @NSIM_CHAN_ERR_PRIVILEGE: a LAUNCH_DMA with a physical source or
 *	destination on an unprivileged channel (simulator policy, see
 *	&nova_hw_channel_args.privileged)
 */
enum nsim_chan_error {
	NSIM_CHAN_ERR_NONE,
	NSIM_CHAN_ERR_MMU_FAULT,
	NSIM_CHAN_ERR_BAD_METHOD,
	NSIM_CHAN_ERR_UNSUPPORTED,
	NSIM_CHAN_ERR_ILLEGAL_CLASS,
	NSIM_CHAN_ERR_BAD_HEADER,
	NSIM_CHAN_ERR_BAD_GP_ENTRY,
	NSIM_CHAN_ERR_BAD_GP_PUT,
	NSIM_CHAN_ERR_BAD_ARGUMENT,
	NSIM_CHAN_ERR_PRIVILEGE,
};

/**
 * struct nsim_chan - a GPFIFO channel and its copy engine's state
 * @chid: channel id
 * @token: its doorbell token
 * @args: what it was created with
 * @pending: its doorbell rang since the host last looked (under &nsim.lock)
 * @state: an &enum nsim_chan_state (under &nsim.lock)
 * @error: an &enum nsim_chan_error (under &nsim.lock)
 * @err_method: byte offset of the method that failed
 * @err_subc: its subchannel
 * @err_data: its data, or the pushbuffer word that failed
 * @fault_va: the VA that faulted, for NSIM_CHAN_ERR_MMU_FAULT
 * @gp_get: the host's GP_GET
 * @in_seg: a pushbuffer segment is being processed
 * @seg_pos: GPU VA of the next pushbuffer word
 * @seg_end: GPU VA of the end of the segment
 * @m_op: SEC_OP of the method header being processed
 * @m_subc: its subchannel
 * @m_addr: byte offset of the method the next data word goes to
 * @m_count: data words left
 * @sem_addr: SEM_ADDR_HI:LO
 * @sem_payload: SEM_PAYLOAD_HI:LO
 * @ce_sem_addr: copy engine SET_SEMAPHORE_A:B
 * @ce_sem_payload: SET_SEMAPHORE_PAYLOAD_UPPER:PAYLOAD
 * @src_phys: SET_SRC_PHYS_MODE
 * @dst_phys: SET_DST_PHYS_MODE
 * @offset_in: OFFSET_IN_UPPER:LOWER
 * @offset_out: OFFSET_OUT_UPPER:LOWER
 * @pitch_in: PITCH_IN
 * @pitch_out: PITCH_OUT
 * @line_length: LINE_LENGTH_IN
 * @line_count: LINE_COUNT
 * @remap_a: SET_REMAP_CONST_A
 * @remap_b: SET_REMAP_CONST_B
 * @remap: SET_REMAP_COMPONENTS
 * @segments: pushbuffer segments completed
 * @launches: LAUNCH_DMA executed
 *
 * Everything but @pending, @state and @error belongs to the host and is
 * used under &nsim.host_mutex.
 */
struct nsim_chan {
	u16 chid;
	u32 token;
	struct nova_hw_channel_args args;
	bool pending;
	enum nsim_chan_state state;
	enum nsim_chan_error error;
	u32 err_method;
	u8 err_subc;
	u32 err_data;
	u64 fault_va;
	u32 gp_get;
	bool in_seg;
	u64 seg_pos;
	u64 seg_end;
	u8 m_op;
	u8 m_subc;
	u32 m_addr;
	u32 m_count;
	u64 sem_addr;
	u64 sem_payload;
	u64 ce_sem_addr;
	u64 ce_sem_payload;
	u32 src_phys;
	u32 dst_phys;
	u64 offset_in;
	u64 offset_out;
	u32 pitch_in;
	u32 pitch_out;
	u32 line_length;
	u32 line_count;
	u32 remap_a;
	u32 remap_b;
	u32 remap;
	u64 segments;
	u64 launches;
};

/**
 * struct nsim - a simulated GPU
 * @chip: chip description
 * @id: instance number (its PCI device number), -1 for test instances
 * @name: instance name ("gpu0")
 * @hw: the backend interface; @hw.priv points back here
 * @vram_size: bytes of VRAM
 * @bar1_size: bytes of BAR1 aperture
 * @reserved_start: start of the firmware-reserved region at the top
 * @bar1_pdb: VRAM address of the BAR1 root page directory
 * @nchunks: number of 2 MiB chunks of VRAM
 * @chunks: host pages backing each chunk, NULL while unbacked; read
 *	under RCU, set from NULL with cmpxchg(), reset to NULL under
 *	@chunk_lock (see vram.c)
 * @chunks_backed: number of non-NULL @chunks
 * @chunks_released: chunks whose backing a zero fill gave back
 * @chunks_kept: whole-chunk zero fills that kept the backing because BAR1
 *	could still reach pages handed out of it
 * @backing_failures: writes dropped because no chunk could be had
 * @chunk_lock: protects @exposed, @handouts and resetting @chunks
 * @exposed: bitmap, chunks whose current backing has had pages handed
 *	out for CPU mappings (nsim_vram_page())
 * @handouts: pages handed out by nsim_vram_page(), ever
 * @pool_lock: protects @pool and @pool_count
 * @pool: pre-allocated zeroed chunks for the non-sleeping paths
 * @pool_count: chunks in @pool
 * @refill_work: refills @pool with GFP_KERNEL
 * @lock: protects everything below (registers, TLBs, fault history)
 * @window: the PRAMIN window register
 * @inv_pdb: NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_PDB
 * @inv_upper_pdb: NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE_UPPER_PDB
 * @inv_ctrl: last value written to NV_VIRTUAL_FUNCTION_PRIV_MMU_INVALIDATE
 * @inv_pending: an invalidation was triggered and has not completed
 * @inv_deadline: when the pending invalidation completes
 * @inv_flags: NV_..._MMU_INVALIDATE value of the pending invalidation
 * @inv_pdb_addr: PDB latched for the pending invalidation
 * @inv_pdb_vidmem: the latched PDB aperture is VIDMEM
 * @tlb_delay_us: invalidation latency; negative: the module parameter
 * @gpc: TLB of the engines' path
 * @hub: TLB of the HUB (BAR1) path
 * @faults: history of the last faults (debugfs only)
 * @fault_head: index of the oldest entry in @faults
 * @fault_count: entries held in @faults
 * @faults_total: faults ever recorded
 * @faults_lost: faults whose packet was not written to the fault buffer
 *	(buffer off or overflowed, or no VRAM backing)
 * @fbuf_lo: NV_VIRTUAL_FUNCTION_PRIV_MMU_FAULT_BUFFER_LO(0)
 * @fbuf_hi: _HI(0)
 * @fbuf_size: _SIZE(0): VAL, OVERFLOW_INTR and ENABLE
 * @fbuf_get: GET pointer of buffer 0
 * @fbuf_put: PUT pointer of buffer 0
 * @fbuf_overflow: buffer 0 overflowed; faults are dropped until cleared
 * @fbuf_corrupted: a GET beyond the buffer was written
 * @invalidates: completed invalidations
 * @invalidates_acked: of those, with ACK_GLOBALLY
 * @invalidates_hub_only: of those, with HUBTLB_ONLY
 * @invalidates_unsupported: triggers without ALL_VA (ignored)
 * @pramin_moves: window writes that changed the base
 * @pramin_bad: PRAMIN accesses that did not reach VRAM
 * @pramin_reads: reads through the PRAMIN window
 * @pramin_writes: writes through the PRAMIN window
 * @sparse_read_bytes: bytes engines read as zeroes through sparse entries
 * @sparse_write_bytes: bytes of engine writes dropped by sparse entries
 * @unknown_reads: reads of unmodelled registers
 * @unknown_writes: writes of unmodelled registers
 * @unknown: first distinct unmodelled offsets seen
 * @unknown_n: entries in @unknown
 * @host_mutex: serialises the host's work and channel allocation and
 *	freeing; taken before @lock
 * @host_wq: the host's own context (ordered workqueue)
 * @host_work: runs the channels whose doorbell rang
 * @host_poll: marks the channels waiting on a semaphore acquire to run
 *	again, NSIM_ACQUIRE_POLL_MS after the host last stopped with one
 *	waiting: the host polls an acquire's memory, so a value the CPU
 *	writes (through BAR1, which the simulator does not see) satisfies
 *	it too
 * @host_stopping: set under @lock at teardown: @host_poll is not queued
 *	any more
 * @host_buf: two bounce buffers of NSIM_HOST_BUF_SIZE for the copy
 *	engine, used under @host_mutex
 * @chans: channels by CHID; changed under @host_mutex and @lock, read
 *	under either
 * @doorbells: doorbell writes that named a channel
 * @doorbells_bad: doorbell writes that named none (ignored)
 * @nonstall_intrs: non-stall interrupts the channels asked for
 * @intr_pending: NVSIM_INTR_PENDING (under @lock)
 * @intr_enable: NVSIM_INTR_ENABLE (under @lock)
 * @chan_stopped: NVSIM_CHAN_STOPPED bitmap (under @lock)
 * @intrs: interrupts delivered to the handler (under @intr_mutex)
 * @intr_mutex: held while the handler runs and while it is changed;
 *	taken with no other lock of the instance held
 * @intr_handler: nova-core's handler, or NULL (under @intr_mutex)
 * @intr_data: its argument (under @intr_mutex)
 * @intr_work: delivers the interrupt, as an MSI would arrive
 * @debugfs: the instance's debugfs directory
 * @dbg_lock: protects the debugfs translate query
 * @dbg_pdb: debugfs translate query: PDB
 * @dbg_va: debugfs translate query: VA
 * @dbg_hub: debugfs translate query: through the HUB TLB
 * @dbg_mem_pdb: debugfs mem: last query written to any open file: PDB
 * @dbg_mem_va: debugfs mem: last query: VA
 * @dbg_mem_len: debugfs mem: last query: bytes, 0 if none
 */
struct nsim {
	const struct nsim_chip *chip;
	int id;
	char name[16];
	struct nova_hw hw;
	u64 vram_size;
	u64 bar1_size;
	u64 reserved_start;
	u64 bar1_pdb;

	unsigned long nchunks;
	struct page **chunks;
	atomic_long_t chunks_backed;
	atomic_long_t chunks_released;
	atomic_long_t chunks_kept;
	atomic_long_t backing_failures;
	spinlock_t chunk_lock;	/* exposed, handouts, chunks[] to NULL */
	unsigned long *exposed;
	u64 handouts;
	spinlock_t pool_lock;	/* protects pool, pool_count */
	struct page *pool[NSIM_POOL_SIZE];
	unsigned int pool_count;
	struct work_struct refill_work;

	spinlock_t lock;	/* registers, TLBs, fault history */
	u32 window;
	u32 inv_pdb;
	u32 inv_upper_pdb;
	u32 inv_ctrl;
	bool inv_pending;
	ktime_t inv_deadline;
	u32 inv_flags;
	u64 inv_pdb_addr;
	bool inv_pdb_vidmem;
	int tlb_delay_us;
	struct nsim_tlb gpc;
	struct nsim_tlb hub;
	struct nsim_fault faults[NSIM_FAULT_LOG_SIZE];
	unsigned int fault_head;
	unsigned int fault_count;
	u64 faults_total;
	u64 faults_lost;
	u32 fbuf_lo;
	u32 fbuf_hi;
	u32 fbuf_size;
	u32 fbuf_get;
	u32 fbuf_put;
	bool fbuf_overflow;
	bool fbuf_corrupted;
	u64 invalidates;
	u64 invalidates_acked;
	u64 invalidates_hub_only;
	u64 invalidates_unsupported;
	u64 pramin_moves;
	u64 pramin_bad;
	u64 pramin_reads;
	u64 pramin_writes;
	u64 sparse_read_bytes;
	u64 sparse_write_bytes;
	u64 unknown_reads;
	u64 unknown_writes;
	u32 unknown[NSIM_UNKNOWN_LOG_SIZE];
	unsigned int unknown_n;

	struct mutex host_mutex;	/* host work, channel alloc/free */
	struct workqueue_struct *host_wq;
	struct work_struct host_work;
	struct delayed_work host_poll;
	bool host_stopping;
	void *host_buf[2];
	struct nsim_chan *chans[NSIM_CHANNELS];
	u64 doorbells;
	u64 doorbells_bad;
	u64 nonstall_intrs;
	u32 intr_pending;
	u32 intr_enable;
	u32 chan_stopped[NVSIM_CHAN_STOPPED_WORDS];
	u64 intrs;
	struct mutex intr_mutex;	/* the handler and its calls */
	void (*intr_handler)(void *data);
	void *intr_data;
	struct work_struct intr_work;

	struct dentry *debugfs;
	struct mutex dbg_lock;	/* the dbg_* queries */
	u64 dbg_pdb;
	u64 dbg_va;
	bool dbg_hub;
	u64 dbg_mem_pdb;
	u64 dbg_mem_va;
	u32 dbg_mem_len;
};

static inline struct nsim *nsim_from_hw(struct nova_hw *hw)
{
	return hw->priv;
}

/* main.c */
#define NSIM_MAX_GPUS	8
extern unsigned int nsim_tlb_delay_us;
const struct nsim_chip *nsim_chip_find(const char *name);
struct nsim *nsim_create(const char *chip, u64 vram_size, u64 bar1_size,
			 int id);
void nsim_destroy(struct nsim *sim);

/* vram.c */
int nsim_vram_init(struct nsim *sim);
void nsim_vram_fini(struct nsim *sim);
void nsim_vram_read(struct nsim *sim, u64 addr, void *buf, size_t len);
int nsim_vram_fill(struct nsim *sim, u64 addr, u32 pattern, u64 len);
int nsim_vram_write(struct nsim *sim, u64 addr, const void *buf, size_t len,
		    bool may_sleep);
u64 nsim_vram_rd64(struct nsim *sim, u64 addr);
struct page *nsim_vram_page(struct nsim *sim, u64 addr, bool may_sleep);
#if IS_ENABLED(CONFIG_NOVA_SIM_KUNIT_TEST)
/* For the KUnit tests only. */
bool nsim_vram_is_backed(struct nsim *sim, u64 addr);
#endif
u64 nsim_vram_backed_bytes(struct nsim *sim);
unsigned long nsim_vram_exposed_chunks(struct nsim *sim);
unsigned int nsim_pool_count(struct nsim *sim);

/* regs.c */
u32 nsim_rd32(struct nova_hw *hw, u32 offset);
void nsim_wr32(struct nova_hw *hw, u32 offset, u32 value);
void nsim_poll_locked(struct nsim *sim);

/* faultbuf.c */
void nsim_record_fault_locked(struct nsim *sim, u64 va, u64 pdb, u8 access,
			      u8 reason, bool bar1, u16 chid,
			      struct nsim_fault_pkt *pkt);
void nsim_fault_write(struct nsim *sim, const struct nsim_fault_pkt *pkt);
bool nsim_fault_buf_rd_locked(struct nsim *sim, u32 offset, u32 *value);
bool nsim_fault_buf_wr_locked(struct nsim *sim, u32 offset, u32 value);

/* mmu.c */
void nsim_walk(struct nsim *sim, u64 pdb, u64 va, struct nsim_xlate *x);
void nsim_xlate_locked(struct nsim *sim, bool hub, u64 pdb, u64 va,
		       bool write, struct nsim_xlate *x);
void nsim_tlb_invalidate_locked(struct nsim *sim, struct nsim_tlb *tlb,
				bool all, u64 pdb);
int nsim_translate(struct nova_hw *hw, u64 pdb, u64 va, bool write,
		   bool hub, struct nova_hw_xlate *out);
int nsim_mem_access(struct nova_hw *hw, u64 pdb, u64 va, void *buf,
		    size_t len, bool write);
int nsim_engine_access(struct nsim *sim, u64 pdb, u64 va, void *buf,
		       size_t len, bool write, u16 chid, bool may_sleep,
		       u64 *fault_va);
void nsim_counters(struct nova_hw *hw, struct nova_hw_counters *out);
int nsim_bar1_pfn(struct nova_hw *hw, u64 offset, bool write,
		  unsigned long *pfn);

/* host.c */
int nsim_host_init(struct nsim *sim);
void nsim_host_fini(struct nsim *sim);
int nsim_channel_alloc(struct nova_hw *hw,
		       const struct nova_hw_channel_args *args, u32 *token);
void nsim_channel_free(struct nova_hw *hw, u32 token);
void nsim_doorbell_locked(struct nsim *sim, u32 token);
void nsim_intr_raise_locked(struct nsim *sim, u32 cause);
int nsim_set_irq(struct nova_hw *hw, void (*handler)(void *data), void *data);
u32 nsim_chan_error_locked(struct nsim *sim, u32 chid);
#if IS_ENABLED(CONFIG_NOVA_SIM_KUNIT_TEST)
/* For the KUnit tests only. */
void nsim_host_flush(struct nsim *sim);
enum nsim_chan_state nsim_chan_status(struct nsim *sim, u32 token,
				      enum nsim_chan_error *error,
				      u64 *fault_va);
#endif

/* debugfs.c */
void nsim_debugfs_init(struct dentry *root, struct nsim *sim);
const char *nsim_reason_name(u32 reason);

/* pci.c */
int nsim_pci_add(struct nsim **sims, unsigned int n);
void nsim_pci_remove(void);

#endif /* __NOVA_SIM_H__ */
