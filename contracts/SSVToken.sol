// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/**
 * @title SSVToken
 * @notice A minimal ERC-20 ("SSV Token", SSV, 18 decimals) with the standard events; the deployer
 * mints for the devnet. An infinite allowance is not spent down.
 */
contract SSVToken {
  string public constant name = "SSV Token";
  string public constant symbol = "SSV";
  uint8 public constant decimals = 18;

  address private immutable _minter;
  uint256 public totalSupply;
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;

  event Transfer(address indexed from, address indexed to, uint256 value);
  event Approval(address indexed owner, address indexed spender, uint256 value);

  error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
  error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
  error OwnableUnauthorizedAccount(address account);

  constructor() {
    _minter = msg.sender;
  }

  function mint(address to, uint256 amount) external {
    if (msg.sender != _minter) revert OwnableUnauthorizedAccount(msg.sender);
    totalSupply += amount;
    balanceOf[to] += amount;
    emit Transfer(address(0), to, amount);
  }

  function approve(address spender, uint256 amount) external returns (bool) {
    allowance[msg.sender][spender] = amount;
    emit Approval(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    _move(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    uint256 allowed = allowance[from][msg.sender];
    if (allowed != type(uint256).max) {
      if (allowed < amount) revert ERC20InsufficientAllowance(msg.sender, allowed, amount);
      allowance[from][msg.sender] = allowed - amount;
    }
    _move(from, to, amount);
    return true;
  }

  function _move(address from, address to, uint256 amount) private {
    uint256 balance = balanceOf[from];
    if (balance < amount) revert ERC20InsufficientBalance(from, balance, amount);
    balanceOf[from] = balance - amount;
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
  }
}
