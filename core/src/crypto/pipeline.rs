//! Overlap file reading, cryptography and file writing on separate threads.
//!
//! AES-GCM with AES-NI and CLMUL is faster than copying data in and out of the kernel, so
//! for files the time goes to `read` and `write`. A reader thread fills buffers ahead and a
//! writer thread drains them behind, so the three overlap. Buffers are recycled and the
//! queues are bounded: memory stays a few MiB whatever the file size.

use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Size of the buffers passed between threads.
const BUF: usize = 1024 * 1024;
/// Buffers queued in each direction.
const DEPTH: usize = 3;

fn fill(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(buf.get_mut(n..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A reader whose data is read ahead by a background thread.
pub(crate) struct Prefetch {
    rx: Receiver<io::Result<Vec<u8>>>,
    back: SyncSender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl Prefetch {
    pub(crate) fn new<R: Read + Send + 'static>(inner: R) -> Prefetch {
        Prefetch::with_transform(inner, |_: &mut [u8]| {})
    }

    /// Like [`Prefetch::new`], and `transform` is applied in place to each buffer on the
    /// reader thread, in order (e.g. a keystream: the work then overlaps with the consumer's).
    pub(crate) fn with_transform<R, F>(mut inner: R, mut transform: F) -> Prefetch
    where
        R: Read + Send + 'static,
        F: FnMut(&mut [u8]) + Send + 'static,
    {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(DEPTH);
        let (back, back_rx) = sync_channel::<Vec<u8>>(DEPTH + 2);
        std::thread::spawn(move || {
            loop {
                let mut buf = back_rx.try_recv().unwrap_or_default();
                buf.resize(BUF, 0);
                match fill(&mut inner, &mut buf) {
                    Ok(n) => {
                        buf.truncate(n);
                        transform(&mut buf);
                        let last = n == 0;
                        if tx.send(Ok(buf)).is_err() || last {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        Prefetch {
            rx,
            back,
            cur: Vec::new(),
            pos: 0,
            eof: false,
        }
    }
}

impl Prefetch {
    /// Make sure unread data is at hand; false at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        if self.pos < self.cur.len() {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        let used = std::mem::take(&mut self.cur);
        let _ = self.back.try_send(used);
        match self.rx.recv() {
            Ok(Ok(b)) if b.is_empty() => {
                self.eof = true;
                Ok(false)
            }
            Ok(Ok(b)) => {
                self.cur = b;
                self.pos = 0;
                Ok(true)
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(io::Error::other("lecture interrompue")),
        }
    }

    /// The next buffer as it was read, handed over whole (no copy); `None` at the end.
    /// (Not `take`: `Read::take` would shadow it on an owned `Prefetch`.)
    /// Give it back through [`Prefetch::recycler`] so that the reader reuses it.
    pub(crate) fn prendre(&mut self) -> io::Result<Option<Vec<u8>>> {
        if !self.refill()? {
            return Ok(None);
        }
        let mut b = std::mem::take(&mut self.cur);
        b.drain(..self.pos);
        self.pos = 0;
        Ok(Some(b))
    }

    /// Where buffers obtained by [`Prefetch::prendre`] go back to the reader thread.
    pub(crate) fn recycler(&self) -> SyncSender<Vec<u8>> {
        self.back.clone()
    }
}

impl Read for Prefetch {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if !self.refill()? {
            return Ok(0);
        }
        let avail = self.cur.get(self.pos..).unwrap_or_default();
        let n = avail.len().min(out.len());
        out.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(avail.get(..n).unwrap_or_default());
        self.pos += n;
        Ok(n)
    }
}

/// A writer whose data is written by a background thread. Call [`Behind::finish`] to wait
/// for the last write and get its outcome; dropping it without `finish` abandons the data.
pub(crate) struct Behind {
    tx: Option<SyncSender<Vec<u8>>>,
    back: Receiver<Vec<u8>>,
    cur: Vec<u8>,
    handle: Option<JoinHandle<io::Result<()>>>,
}

impl Behind {
    pub(crate) fn new<W: Write + Send + 'static>(mut inner: W) -> Behind {
        let (tx, rx) = sync_channel::<Vec<u8>>(DEPTH);
        let (back_tx, back) = sync_channel::<Vec<u8>>(DEPTH + 2);
        let handle = std::thread::spawn(move || -> io::Result<()> {
            for mut buf in rx {
                inner.write_all(&buf)?;
                buf.clear();
                let _ = back_tx.try_send(buf);
            }
            inner.flush()
        });
        Behind {
            tx: Some(tx),
            back,
            cur: Vec::with_capacity(BUF),
            handle: Some(handle),
        }
    }

    fn ship(&mut self) -> io::Result<()> {
        let next = self
            .back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUF));
        let full = std::mem::replace(&mut self.cur, next);
        let sent = self.tx.as_ref().map(|tx| tx.send(full));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.join_error()),
        }
    }

    fn join_error(&mut self) -> io::Error {
        self.tx = None;
        match self.handle.take().map(|h| h.join()) {
            Some(Ok(Err(e))) => e,
            _ => io::Error::other("écriture interrompue"),
        }
    }

    /// Write what remains and wait for the writer thread.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        if !self.cur.is_empty() {
            self.ship()?;
        }
        self.tx = None;
        match self.handle.take().map(|h| h.join()) {
            Some(Ok(r)) => r,
            _ => Err(io::Error::other("écriture interrompue")),
        }
    }
}

impl Write for Behind {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = BUF - self.cur.len();
        let n = room.min(data.len());
        self.cur
            .extend_from_slice(data.get(..n).unwrap_or_default());
        if self.cur.len() >= BUF {
            self.ship()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Data is flushed by `finish`; flushing here would serialize the pipeline.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefetch_and_behind_copy_exactly() {
        let data: Vec<u8> = (0..5_000_000u32).map(|i| (i % 253) as u8).collect();
        let mut r = Prefetch::new(std::io::Cursor::new(data.clone()));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        let mut w = Behind::new(std::fs::File::create(&p).unwrap());
        let mut buf = vec![0u8; 77_777];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            w.write_all(&buf[..n]).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), data);
    }

    #[test]
    fn take_hands_over_transformed_buffers_in_order() {
        let data: Vec<u8> = (0..3_500_000u32).map(|i| (i % 251) as u8).collect();
        let mut r =
            Prefetch::with_transform(std::io::Cursor::new(data.clone()), |b: &mut [u8]| {
                b.iter_mut().for_each(|x| *x ^= 0x5a)
            });
        let back = r.recycler();
        let mut got = Vec::new();
        while let Some(b) = r.prendre().unwrap() {
            got.extend_from_slice(&b);
            let _ = back.try_send(b);
        }
        let expected: Vec<u8> = data.iter().map(|x| x ^ 0x5a).collect();
        assert_eq!(got, expected);
        assert!(r.prendre().unwrap().is_none());
    }
}
