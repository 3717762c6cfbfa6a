using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace PSNetLab.Servers.Tcp
{
    /// <summary>The seeds' server policies at accept time: who may connect (-AllowFrom), how many in all and per client machine.</summary>
    internal sealed class ConnectionAdmission
    {
        private readonly TcpServerOptions _options;
        private readonly Dictionary<IPAddress, int> _perClient = new Dictionary<IPAddress, int>();
        private int _total;

        public ConnectionAdmission(TcpServerOptions options)
        {
            _options = options;
        }

        /// <summary>null when the connection is admitted (and counted); otherwise why it is refused.</summary>
        public string? TryAdmit(IPAddress remote)
        {
            IPAddress client = Normalise(remote);
            if (_options.AllowFrom.Count > 0 && !_options.AllowFrom.Any(r => r.Contains(client)))
            {
                return $"{client} is not in -AllowFrom ({string.Join(", ", _options.AllowFrom)})";
            }

            lock (_perClient)
            {
                if (_total >= _options.MaxConnections)
                {
                    return $"the server has {Count(_options.MaxConnections)} connections (-MaxConnections)";
                }

                _perClient.TryGetValue(client, out int fromClient);
                if (_options.MaxConnectionsPerClient > 0 && fromClient >= _options.MaxConnectionsPerClient)
                {
                    return $"{client} already has {Count(_options.MaxConnectionsPerClient)} connections (-MaxConnectionsPerClient)";
                }

                _perClient[client] = fromClient + 1;
                _total++;
                return null;
            }
        }

        public void Release(IPAddress remote)
        {
            IPAddress client = Normalise(remote);
            lock (_perClient)
            {
                _total--;
                if (_perClient.TryGetValue(client, out int fromClient) && fromClient > 1)
                {
                    _perClient[client] = fromClient - 1;
                }
                else
                {
                    _perClient.Remove(client);
                }
            }
        }

        private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

        private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
