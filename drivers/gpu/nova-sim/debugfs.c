// SPDX-License-Identifier: GPL-2.0
/*
 * nova-sim debugfs: nova-sim/<instance>/{info,counters,faults,translate,
 * mem,regs_unknown,tlb_delay_us}. Formats are described in
 * Documentation/gpu/nova/sim.rst.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/nova/regs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sim.h"

/**
 * nsim_reason_name() - name of a fault reason
 * @reason: 0 or an NOVA_FAULT_REASON_*
 *
 * Return: a short upper-case name.
 */
const char *nsim_reason_name(u32 reason)
{
	switch (reason) {
	case 0:
		return "OK";
	case NOVA_FAULT_REASON_PDE:
		return "PDE";
	case NOVA_FAULT_REASON_PTE:
		return "PTE";
	case NOVA_FAULT_REASON_RO:
		return "RO";
	case NOVA_FAULT_REASON_SPARSE:
		return "SPARSE";
	case NOVA_FAULT_REASON_RANGE:
		return "RANGE";
	case NOVA_FAULT_REASON_APERTURE:
		return "APERTURE";
	default:
		return "?";
	}
}

static int nsim_info_show(struct seq_file *m, void *unused)
{
	struct nsim *sim = m->private;
	unsigned long flags;
	int delay;

	spin_lock_irqsave(&sim->lock, flags);
	delay = sim->tlb_delay_us;
	spin_unlock_irqrestore(&sim->lock, flags);
	if (delay < 0)
		delay = READ_ONCE(nsim_tlb_delay_us);

	seq_printf(m, "chip: %s\n", sim->chip->name);
	seq_printf(m, "chipset: 0x%03x\n", sim->chip->chipset);
	seq_printf(m, "mmu: v%u\n", sim->chip->mmu_ver);
	seq_printf(m, "vram: 0x%llx\n", sim->vram_size);
	seq_printf(m, "bar1: 0x%llx\n", sim->bar1_size);
	seq_printf(m, "fb_usable: 0x%llx-0x%llx\n",
		   (u64)NSIM_FB_USABLE_START, sim->reserved_start);
	seq_printf(m, "reserved: 0x%llx-0x%llx\n", sim->reserved_start,
		   sim->vram_size);
	seq_printf(m, "bar1_pdb: 0x%llx\n", sim->bar1_pdb);
	seq_printf(m, "backed_chunks: %ld/%lu\n",
		   atomic_long_read(&sim->chunks_backed), sim->nchunks);
	seq_printf(m, "backed_bytes: %llu\n", nsim_vram_backed_bytes(sim));
	seq_printf(m, "released_chunks: %ld\n",
		   atomic_long_read(&sim->chunks_released));
	seq_printf(m, "kept_chunks: %ld\n",
		   atomic_long_read(&sim->chunks_kept));
	seq_printf(m, "exposed_chunks: %lu\n", nsim_vram_exposed_chunks(sim));
	seq_printf(m, "pool: %u/%u\n", nsim_pool_count(sim), NSIM_POOL_SIZE);
	seq_printf(m, "backing_failures: %ld\n",
		   atomic_long_read(&sim->backing_failures));
	seq_printf(m, "tlb_delay_us: %d\n", delay);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nsim_info);

static int nsim_counters_show(struct seq_file *m, void *unused)
{
	struct nsim *sim = m->private;
	u64 v[22];
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	nsim_poll_locked(sim);
	v[0] = sim->invalidates;
	v[1] = sim->invalidates_acked;
	v[2] = sim->invalidates_hub_only;
	v[3] = sim->invalidates_unsupported;
	v[4] = sim->inv_pending;
	v[5] = sim->gpc.hits;
	v[6] = sim->gpc.misses;
	v[7] = sim->gpc.evictions;
	v[8] = sim->gpc.dropped;
	v[9] = sim->hub.hits;
	v[10] = sim->hub.misses;
	v[11] = sim->hub.evictions;
	v[12] = sim->hub.dropped;
	v[13] = sim->faults_total;
	v[14] = sim->faults_lost;
	v[15] = sim->pramin_moves;
	v[16] = sim->pramin_bad;
	v[17] = sim->unknown_reads + sim->unknown_writes;
	v[18] = sim->pramin_reads;
	v[19] = sim->pramin_writes;
	v[20] = sim->sparse_read_bytes;
	v[21] = sim->sparse_write_bytes;
	spin_unlock_irqrestore(&sim->lock, flags);

	seq_printf(m, "tlb_invalidates: %llu\n", v[0]);
	seq_printf(m, "tlb_invalidates_acked: %llu\n", v[1]);
	seq_printf(m, "tlb_invalidates_hub_only: %llu\n", v[2]);
	seq_printf(m, "tlb_invalidates_unsupported: %llu\n", v[3]);
	seq_printf(m, "tlb_invalidate_pending: %llu\n", v[4]);
	seq_printf(m, "gpc_tlb_hits: %llu\n", v[5]);
	seq_printf(m, "gpc_tlb_misses: %llu\n", v[6]);
	seq_printf(m, "gpc_tlb_evictions: %llu\n", v[7]);
	seq_printf(m, "gpc_tlb_dropped: %llu\n", v[8]);
	seq_printf(m, "hub_tlb_hits: %llu\n", v[9]);
	seq_printf(m, "hub_tlb_misses: %llu\n", v[10]);
	seq_printf(m, "hub_tlb_evictions: %llu\n", v[11]);
	seq_printf(m, "hub_tlb_dropped: %llu\n", v[12]);
	seq_printf(m, "faults: %llu\n", v[13]);
	seq_printf(m, "faults_lost: %llu\n", v[14]);
	seq_printf(m, "pramin_moves: %llu\n", v[15]);
	seq_printf(m, "pramin_bad: %llu\n", v[16]);
	seq_printf(m, "regs_unknown: %llu\n", v[17]);
	seq_printf(m, "pramin_reads: %llu\n", v[18]);
	seq_printf(m, "pramin_writes: %llu\n", v[19]);
	seq_printf(m, "sparse_read_bytes: %llu\n", v[20]);
	seq_printf(m, "sparse_write_bytes: %llu\n", v[21]);
	seq_printf(m, "vram_backed: %llu\n", nsim_vram_backed_bytes(sim));
	seq_printf(m, "backing_failures: %ld\n",
		   atomic_long_read(&sim->backing_failures));

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nsim_counters);

static int nsim_faults_show(struct seq_file *m, void *unused)
{
	struct nsim *sim = m->private;
	struct nsim_fault *log;
	unsigned int i, n, head;
	unsigned long flags;
	u64 total, lost;

	log = kmalloc_array(NSIM_FAULT_LOG_SIZE, sizeof(*log), GFP_KERNEL);
	if (!log)
		return -ENOMEM;

	spin_lock_irqsave(&sim->lock, flags);
	memcpy(log, sim->faults, NSIM_FAULT_LOG_SIZE * sizeof(*log));
	n = sim->fault_count;
	head = sim->fault_head;
	total = sim->faults_total;
	lost = sim->faults_lost;
	spin_unlock_irqrestore(&sim->lock, flags);

	seq_printf(m, "count %u total %llu lost %llu\n", n, total, lost);
	for (i = 0; i < n; i++) {
		const struct nsim_fault *f =
			&log[(head + i) % NSIM_FAULT_LOG_SIZE];

		seq_printf(m, "va 0x%llx pdb 0x%llx %s%s %s %s\n", f->va,
			   f->pdb,
			   f->access >= NV_PFAULT_ACCESS_TYPE_PHYS_READ ?
			   "phys-" : "",
			   f->access == NV_PFAULT_ACCESS_TYPE_VIRT_WRITE ||
			   f->access == NV_PFAULT_ACCESS_TYPE_PHYS_WRITE ?
			   "write" : "read",
			   nsim_reason_name(f->reason),
			   f->bar1 ? "BAR1" : "engine");
	}
	kfree(log);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nsim_faults);

static int nsim_regs_unknown_show(struct seq_file *m, void *unused)
{
	struct nsim *sim = m->private;
	u32 offs[NSIM_UNKNOWN_LOG_SIZE];
	unsigned long flags;
	u64 rd, wr;
	unsigned int i, n;

	spin_lock_irqsave(&sim->lock, flags);
	rd = sim->unknown_reads;
	wr = sim->unknown_writes;
	n = sim->unknown_n;
	memcpy(offs, sim->unknown, sizeof(offs));
	spin_unlock_irqrestore(&sim->lock, flags);

	seq_printf(m, "reads %llu writes %llu\n", rd, wr);
	for (i = 0; i < n; i++)
		seq_printf(m, "0x%06x\n", offs[i]);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nsim_regs_unknown);

static int nsim_translate_show(struct seq_file *m, void *unused)
{
	struct nsim *sim = m->private;
	struct nova_hw_xlate x;
	u64 pdb, va;
	bool hub;

	mutex_lock(&sim->dbg_lock);
	pdb = sim->dbg_pdb;
	va = sim->dbg_va;
	hub = sim->dbg_hub;
	mutex_unlock(&sim->dbg_lock);

	nsim_translate(&sim->hw, pdb, va, false, hub, &x);
	/* Sparse is a state on the engine path, a fault on the HUB path. */
	seq_printf(m, "pdb 0x%llx va 0x%llx %s: %s", pdb, va,
		   hub ? "hub" : "gpc",
		   x.sparse ? "SPARSE" : nsim_reason_name(x.fault_reason));
	if (!x.fault_reason && !x.sparse)
		seq_printf(m, " pa 0x%llx size 0x%llx %s", x.pa, x.page_size,
			   x.read_only ? "ro" : "rw");
	else if (x.page_size)
		seq_printf(m, " size 0x%llx", x.page_size);
	seq_putc(m, '\n');

	return 0;
}

static int nsim_translate_open(struct inode *inode, struct file *file)
{
	return single_open(file, nsim_translate_show, inode->i_private);
}

static ssize_t nsim_translate_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	struct nsim *sim = ((struct seq_file *)file->private_data)->private;
	char buf[80], hub[8] = "";
	u64 pdb, va;
	int n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	n = sscanf(buf, "%llx %llx %7s", &pdb, &va, hub);
	if (n < 2 || (n == 3 && strcmp(hub, "hub")))
		return -EINVAL;

	mutex_lock(&sim->dbg_lock);
	sim->dbg_pdb = pdb;
	sim->dbg_va = va;
	sim->dbg_hub = n == 3;
	mutex_unlock(&sim->dbg_lock);

	return len;
}

static const struct file_operations nsim_translate_fops = {
	.owner = THIS_MODULE,
	.open = nsim_translate_open,
	.read = seq_read,
	.write = nsim_translate_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Most bytes one access of the mem file transfers. */
#define NSIM_MEM_MAX		SZ_64K
/* Longest command: "<pdb> <va> w <hexbytes>". */
#define NSIM_MEM_CMD_MAX	(2 * NSIM_MEM_MAX + 64)

/**
 * struct nsim_mem_file - an open mem file
 * @sim: the instance
 * @lock: protects the query
 * @pdb: query: address space
 * @va: query: first virtual address
 * @len: query: bytes, 0 until one was written or adopted
 */
struct nsim_mem_file {
	struct nsim *sim;
	struct mutex lock;	/* pdb, va, len */
	u64 pdb;
	u64 va;
	u32 len;
};

static int nsim_mem_open(struct inode *inode, struct file *file)
{
	struct nsim_mem_file *mf = kzalloc(sizeof(*mf), GFP_KERNEL);

	if (!mf)
		return -ENOMEM;
	mf->sim = inode->i_private;
	mutex_init(&mf->lock);
	file->private_data = mf;

	return 0;
}

static int nsim_mem_release(struct inode *inode, struct file *file)
{
	struct nsim_mem_file *mf = file->private_data;

	mutex_destroy(&mf->lock);
	kfree(mf);

	return 0;
}

/*
 * Reads the query's bytes from offset *ppos on through the GPC path, as an
 * engine would now. The whole chunk asked for is transferred or the read
 * fails: -EFAULT on an MMU fault (recorded like any fault). A file that
 * has not written a query of its own adopts the instance's last one (so
 * that "echo ... > mem; cat mem" works).
 */
static ssize_t nsim_mem_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct nsim_mem_file *mf = file->private_data;
	loff_t pos = *ppos;
	ssize_t ret;
	size_t n;
	void *buf;

	mutex_lock(&mf->lock);
	if (!mf->len) {
		mutex_lock(&mf->sim->dbg_lock);
		mf->pdb = mf->sim->dbg_mem_pdb;
		mf->va = mf->sim->dbg_mem_va;
		mf->len = mf->sim->dbg_mem_len;
		mutex_unlock(&mf->sim->dbg_lock);
	}
	if (!mf->len || pos < 0) {
		ret = -EINVAL;
		goto out;
	}
	if (pos >= mf->len || !count) {
		ret = 0;
		goto out;
	}
	n = min_t(u64, count, mf->len - pos);

	buf = kvmalloc(n, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	ret = nsim_mem_access(&mf->sim->hw, mf->pdb, mf->va + pos, buf, n,
			      false);
	if (!ret && copy_to_user(ubuf, buf, n))
		ret = -EFAULT;
	if (!ret) {
		*ppos = pos + n;
		ret = n;
	}
	kvfree(buf);
out:
	mutex_unlock(&mf->lock);

	return ret;
}

static char *nsim_mem_token(char **s)
{
	char *tok;

	do {
		tok = strsep(s, " \t\n");
	} while (tok && !*tok);

	return tok;
}

/*
 * "<pdb> <va> <len>" sets the query; "<pdb> <va> w <hexbytes>" writes the
 * bytes through the GPC path at once and sets the query to them. Both
 * rewind the file and also become the instance's last query.
 */
static ssize_t nsim_mem_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct nsim_mem_file *mf = file->private_data;
	char *cmd, *p, *tok[5];
	u64 pdb, va, n;
	bool write;
	unsigned int i;
	ssize_t ret;
	size_t hex;

	if (!len || len > NSIM_MEM_CMD_MAX)
		return -EINVAL;
	cmd = kvmalloc(len + 1, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	if (copy_from_user(cmd, ubuf, len)) {
		ret = -EFAULT;
		goto out;
	}
	cmd[len] = '\0';

	p = cmd;
	for (i = 0; i < ARRAY_SIZE(tok); i++)
		tok[i] = nsim_mem_token(&p);
	write = tok[2] && !strcmp(tok[2], "w");
	ret = -EINVAL;
	if (!tok[2] || tok[write ? 4 : 3])
		goto out;
	if (kstrtou64(tok[0], 16, &pdb) || kstrtou64(tok[1], 16, &va))
		goto out;
	if (write) {
		if (!tok[3])
			goto out;
		hex = strlen(tok[3]);
		if (hex % 2)
			goto out;
		n = hex / 2;
		/* In place: byte i is written after digits 2i and 2i+1 are read. */
		if (hex2bin(tok[3], tok[3], n))
			goto out;
	} else if (kstrtou64(tok[2], 16, &n)) {
		goto out;
	}
	if (!n || n > NSIM_MEM_MAX || va + n - 1 < va)
		goto out;

	mutex_lock(&mf->lock);
	mf->pdb = pdb;
	mf->va = va;
	mf->len = n;
	*ppos = 0;
	mutex_lock(&mf->sim->dbg_lock);
	mf->sim->dbg_mem_pdb = pdb;
	mf->sim->dbg_mem_va = va;
	mf->sim->dbg_mem_len = n;
	mutex_unlock(&mf->sim->dbg_lock);
	ret = 0;
	if (write)
		ret = nsim_mem_access(&mf->sim->hw, pdb, va, tok[3], n, true);
	mutex_unlock(&mf->lock);
	if (!ret)
		ret = len;
out:
	kvfree(cmd);

	return ret;
}

static const struct file_operations nsim_mem_fops = {
	.owner = THIS_MODULE,
	.open = nsim_mem_open,
	.read = nsim_mem_read,
	.write = nsim_mem_write,
	.llseek = default_llseek,
	.release = nsim_mem_release,
};

/* The instance's TLB invalidation latency in us; -1: the module parameter. */
static int nsim_tlb_delay_get(void *data, u64 *val)
{
	struct nsim *sim = data;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	*val = (s64)sim->tlb_delay_us;
	spin_unlock_irqrestore(&sim->lock, flags);
	return 0;
}

static int nsim_tlb_delay_set(void *data, u64 val)
{
	struct nsim *sim = data;
	unsigned long flags;
	s64 v = (s64)val;

	if (v < -1 || v > INT_MAX)
		return -EINVAL;
	spin_lock_irqsave(&sim->lock, flags);
	sim->tlb_delay_us = v;
	spin_unlock_irqrestore(&sim->lock, flags);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(nsim_tlb_delay_fops, nsim_tlb_delay_get,
				nsim_tlb_delay_set, "%lld\n");

/**
 * nsim_debugfs_init() - create an instance's debugfs directory
 * @root: the nova-sim directory
 * @sim: the instance
 */
void nsim_debugfs_init(struct dentry *root, struct nsim *sim)
{
	struct dentry *dir = debugfs_create_dir(sim->name, root);

	sim->debugfs = dir;
	debugfs_create_file("info", 0444, dir, sim, &nsim_info_fops);
	debugfs_create_file("counters", 0444, dir, sim, &nsim_counters_fops);
	debugfs_create_file("faults", 0444, dir, sim, &nsim_faults_fops);
	debugfs_create_file("regs_unknown", 0444, dir, sim,
			    &nsim_regs_unknown_fops);
	debugfs_create_file("translate", 0644, dir, sim,
			    &nsim_translate_fops);
	debugfs_create_file("mem", 0600, dir, sim, &nsim_mem_fops);
	debugfs_create_file_unsafe("tlb_delay_us", 0600, dir, sim,
				   &nsim_tlb_delay_fops);
}
