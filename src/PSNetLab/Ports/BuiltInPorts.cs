using System.Collections.Generic;

namespace PSNetLab.Ports
{
    /// <summary>
    /// The ports a socket course names (the seeds' table: FTP, SSH, TELNET, SMTP, DNS, TFTP, HTTP,
    /// MySQL) and a few every admin meets. Used where the system has no services file, and to add
    /// the names students use ("dns") to the system's entries ("domain").
    /// </summary>
    public static class BuiltInPorts
    {
        public static IReadOnlyList<WellKnownPort> Entries { get; } = new[]
        {
            Tcp("ftp-data", 20, "File Transfer Protocol, data connection", "FTP-DATA"),
            Tcp("ftp", 21, "File Transfer Protocol, control connection", "FTP"),
            Tcp("ssh", 22, "Secure Shell remote login", "SSH"),
            Tcp("telnet", 23, "Telnet remote login (clear text)", "TELNET"),
            Tcp("smtp", 25, "Simple Mail Transfer Protocol", "SMTP", "mail"),
            Tcp("domain", 53, "Domain Name System", "DNS"),
            Udp("domain", 53, "Domain Name System", "DNS"),
            Udp("bootps", 67, "DHCP server", "DHCP"),
            Udp("bootpc", 68, "DHCP client"),
            Udp("tftp", 69, "Trivial File Transfer Protocol", "TFTP"),
            Tcp("http", 80, "Hypertext Transfer Protocol", "HTTP", "www"),
            Tcp("pop3", 110, "Post Office Protocol 3", "POP3"),
            Udp("ntp", 123, "Network Time Protocol", "NTP"),
            Tcp("imap", 143, "Internet Message Access Protocol", "IMAP"),
            Udp("snmp", 161, "Simple Network Management Protocol", "SNMP"),
            Tcp("https", 443, "HTTP over TLS", "HTTPS"),
            Udp("https", 443, "HTTP/3 over QUIC", "HTTPS"),
            Tcp("mysql", 3306, "MySQL database", "MySQL"),
            Tcp("ms-wbt-server", 3389, "Remote Desktop Protocol", "RDP"),
            Tcp("postgresql", 5432, "PostgreSQL database", "postgres"),
            Tcp("redis", 6379, "Redis key-value store"),
            Tcp("http-alt", 8080, "HTTP, alternate port", "webcache"),
        };

        private static WellKnownPort Tcp(string name, int port, string description, params string[] aliases) =>
            new WellKnownPort(name, port, PortProtocol.Tcp, aliases, description, PortSource.BuiltIn);

        private static WellKnownPort Udp(string name, int port, string description, params string[] aliases) =>
            new WellKnownPort(name, port, PortProtocol.Udp, aliases, description, PortSource.BuiltIn);
    }
}
