// Where faultdrill may send traffic: loopback (127.0.0.0/8, ::1, localhost)
// always, any other host only when the scenario lists it in
// `target.allow_hosts`. One rule for the target, the shadow candidate and
// probes that fetch over the network.
#ifndef FAULTDRILL_CORE_ALLOWED_HOSTS_H_
#define FAULTDRILL_CORE_ALLOWED_HOSTS_H_

#include <string>
#include <vector>

namespace faultdrill {

// Whether traffic may go to `host` (a name or an address, no port). Only
// addresses count as loopback, not names that merely start like one
// ("127.0.0.1.example.com").
bool HostAllowed(const std::string& host, const std::vector<std::string>& allow_hosts);

// The same for an endpoint "host:port" or "[v6]:port".
bool EndpointAllowed(const std::string& endpoint, const std::vector<std::string>& allow_hosts);

}  // namespace faultdrill

#endif  // FAULTDRILL_CORE_ALLOWED_HOSTS_H_
