/* kernel/file.h — reading a host file whole, with one clear error line.
 * Used by the ELF loader, the core reader and mmap of an opened file. */
#ifndef VMLAB_KERNEL_FILE_H
#define VMLAB_KERNEL_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Read the regular file at path, of at most max bytes.  `what` names what
 * the file should be, for messages ("a program", "a core file").  On
 * success returns 0 with *data malloc'd (NULL for an empty file) and *size.
 * On failure returns -1 and writes one line without the path into err:
 * "cannot open: ...", "is a directory, not a program", "not a regular
 * file" (a FIFO, a device, a socket: refused before it is opened, so a
 * FIFO without a writer never blocks), "file too large (300 MiB; the
 * limit for a program is 256 MiB)", "read error: ...". */
int file_read_path(const char *path, size_t max, const char *what, uint8_t **data,
                   size_t *size, char *err, size_t errlen);

/* The same for an open descriptor (read from offset 0 with pread, so the
 * descriptor's own offset is untouched).  Returns 0 or -errno (-EINVAL
 * for a file that is not regular, -EFBIG past max). */
int file_read_fd(int fd, size_t max, uint8_t **data, size_t *size);

#endif
