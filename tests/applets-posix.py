#!/usr/bin/env python3
"""applets-posix.py VERB ARGS...: POSIX objects made and looked at through
glibc (ctypes) and multiprocessing.shared_memory, not ipctool, for the
applet tests.

  mk shm NAME SIZE MODE | mk mq NAME MODE | mk sem NAME MODE VALUE
  shmsize NAME          the size multiprocessing.shared_memory sees
  semval NAME           sem_getvalue of the named semaphore
  mqattr NAME           mq_maxmsg mq_msgsize mq_curmsgs
"""
import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.sem_open.restype = ctypes.c_void_p
libc.sem_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint,
                          ctypes.c_uint]
libc.sem_getvalue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
libc.sem_close.argtypes = [ctypes.c_void_p]


def die(what):
    e = ctypes.get_errno()
    sys.exit(f"{what}: {os.strerror(e)}")


class MqAttr(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_long), ("maxmsg", ctypes.c_long),
                ("msgsize", ctypes.c_long), ("curmsgs", ctypes.c_long),
                ("pad", ctypes.c_long * 4)]


def main(argv):
    verb = argv[0]
    if verb == "mk":
        kind, name = argv[1], argv[2].encode()
        flags = os.O_CREAT | os.O_EXCL | os.O_RDWR
        if kind == "shm":
            fd = libc.shm_open(name, flags, int(argv[4], 8))
            if fd < 0:
                die("shm_open")
            os.ftruncate(fd, int(argv[3]))
            os.close(fd)
        elif kind == "mq":
            mqd = libc.mq_open(name, flags, int(argv[3], 8), None)
            if mqd < 0:
                die("mq_open")
            libc.mq_close(mqd)
        elif kind == "sem":
            s = libc.sem_open(name, os.O_CREAT | os.O_EXCL, int(argv[3], 8),
                              int(argv[4]))
            if s is None or s == ctypes.c_void_p(-1).value:
                die("sem_open")
            libc.sem_close(s)
    elif verb == "shmsize":
        from multiprocessing import shared_memory, resource_tracker
        m = shared_memory.SharedMemory(name=argv[1].lstrip("/"))
        resource_tracker.unregister(m._name, "shared_memory")
        print(m.size)
        m.close()
    elif verb == "semval":
        s = libc.sem_open(argv[1].encode(), 0, 0, 0)
        if s is None or s == ctypes.c_void_p(-1).value:
            die("sem_open")
        v = ctypes.c_int()
        libc.sem_getvalue(s, ctypes.byref(v))
        print(v.value)
        libc.sem_close(s)
    elif verb == "mqattr":
        mqd = libc.mq_open(argv[1].encode(), os.O_RDONLY, 0, None)
        if mqd < 0:
            die("mq_open")
        a = MqAttr()
        libc.mq_getattr(mqd, ctypes.byref(a))
        print(a.maxmsg, a.msgsize, a.curmsgs)
        libc.mq_close(mqd)
    else:
        sys.exit(f"applets-posix.py: no verb {verb}")


main(sys.argv[1:])
