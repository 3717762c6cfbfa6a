using System;
using System.Collections.Generic;
using System.Net;

namespace PSNetLab.Sockets
{
    /// <summary>The exact filter every row passes through after the provider, whatever it pre-filtered.</summary>
    public sealed class SocketTableFilter
    {
        public ISet<SocketProtocol>? Protocols { get; set; }

        public ISet<SocketState>? States { get; set; }

        public ISet<int>? LocalPorts { get; set; }

        public ISet<int>? RemotePorts { get; set; }

        public ISet<string>? LocalAddresses { get; private set; }

        public ISet<string>? RemoteAddresses { get; private set; }

        public ISet<int>? ProcessIds { get; set; }

        /// <summary>Wildcard matching lives with the cmdlet (WildcardPattern); the engine just asks.</summary>
        public Func<string, bool>? ProcessNameMatches { get; set; }

        public void SetLocalAddresses(IEnumerable<string>? addresses) => LocalAddresses = Normalize(addresses);

        public void SetRemoteAddresses(IEnumerable<string>? addresses) => RemoteAddresses = Normalize(addresses);

        public bool Matches(SocketTableRow row)
        {
            if (Protocols != null && Protocols.Count > 0 && !Protocols.Contains(row.Protocol))
            {
                return false;
            }

            if (States != null && States.Count > 0 && !States.Contains(row.State))
            {
                return false;
            }

            if (LocalPorts != null && LocalPorts.Count > 0 && !LocalPorts.Contains(row.LocalPort))
            {
                return false;
            }

            if (RemotePorts != null && RemotePorts.Count > 0 && !RemotePorts.Contains(row.RemotePort))
            {
                return false;
            }

            if (LocalAddresses != null && !LocalAddresses.Contains(row.LocalAddress))
            {
                return false;
            }

            if (RemoteAddresses != null && !RemoteAddresses.Contains(row.RemoteAddress))
            {
                return false;
            }

            if (ProcessIds != null && ProcessIds.Count > 0 && (row.OwningProcess == null || !ProcessIds.Contains(row.OwningProcess.Value)))
            {
                return false;
            }

            if (ProcessNameMatches != null && (row.ProcessName == null || !ProcessNameMatches(row.ProcessName)))
            {
                return false;
            }

            return true;
        }

        // "::1" and "0:0:0:0:0:0:0:1" are one address: compare in the form rows are written in.
        private static ISet<string>? Normalize(IEnumerable<string>? addresses)
        {
            if (addresses == null)
            {
                return null;
            }

            var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string address in addresses)
            {
                string trimmed = address.Trim().TrimStart('[').TrimEnd(']');
                result.Add(IPAddress.TryParse(trimmed, out IPAddress? ip) ? ip.ToString() : address);
            }

            return result.Count == 0 ? null : result;
        }
    }
}
