// A free TCP port on 127.0.0.1 for tests that must name a port before the
// process that listens on it starts (a launched target, a server started late).
#ifndef FAULTDRILL_TESTS_COMMON_PORTS_H_
#define FAULTDRILL_TESTS_COMMON_PORTS_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace faultdrill::testing {

// Binds port 0, reads the port the kernel chose, closes: another process may
// take it in between, which on a test machine's loopback is rare. 0 on failure.
inline int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  return bound ? ntohs(addr.sin_port) : 0;
}

}  // namespace faultdrill::testing

#endif  // FAULTDRILL_TESTS_COMMON_PORTS_H_
