package main

import "sync"

// streamSender serialises Send calls: gRPC forbids concurrent Send on one stream, and
// a child's stdout and stderr are copied by two goroutines.
type streamSender struct {
	mu   sync.Mutex
	send func(stdout, stderr []byte) error
}

func (s *streamSender) writer(toStderr bool) *streamWriter {
	return &streamWriter{sender: s, toStderr: toStderr}
}

// streamWriter is an io.Writer that forwards each chunk as one stream message.
type streamWriter struct {
	sender   *streamSender
	toStderr bool
}

func (w *streamWriter) Write(chunk []byte) (int, error) {
	if len(chunk) == 0 {
		return 0, nil
	}
	// os/exec may reuse its buffer after Write returns, and Send may hold on to it.
	data := append([]byte(nil), chunk...)
	w.sender.mu.Lock()
	defer w.sender.mu.Unlock()
	var err error
	if w.toStderr {
		err = w.sender.send(nil, data)
	} else {
		err = w.sender.send(data, nil)
	}
	if err != nil {
		return 0, err
	}
	return len(chunk), nil
}
