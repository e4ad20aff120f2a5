#include "core/allowed_hosts.h"

#include <arpa/inet.h>

#include <algorithm>

namespace faultdrill {
namespace {

std::string HostOf(const std::string& endpoint) {
  if (!endpoint.empty() && endpoint[0] == '[') {  // [::1]:8001
    auto close = endpoint.find(']');
    return close == std::string::npos ? endpoint : endpoint.substr(1, close - 1);
  }
  auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

}  // namespace

bool HostAllowed(const std::string& host, const std::vector<std::string>& allow_hosts) {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127) return true;
  return std::find(allow_hosts.begin(), allow_hosts.end(), host) != allow_hosts.end();
}

bool EndpointAllowed(const std::string& endpoint, const std::vector<std::string>& allow_hosts) {
  return HostAllowed(HostOf(endpoint), allow_hosts);
}

}  // namespace faultdrill
